import type { Config } from '../config.js';
import { ChatmarkError } from '../domain/errors.js';
import { buildServer } from '../server.js';
import { createApiKey, revokeKey } from '../services/keys.service.js';
import { hasCampaigns } from '../store/campaigns.repository.js';
import { hasLinks } from '../store/links.repository.js';
import { planDemo, seededRandom } from './plan.js';
import { type DemoCounts, runDemo } from './play.js';

/**
 * Fills an empty store with the demo: builds the server on the configured store (with the demo's
 * webhook secrets, see `DEMO_WEBHOOK_ENV`), makes the demo's admin key, plans `campaigns`
 * campaigns from `seed` ending at `started`, and plays them through the app in-process. Refuses a
 * store that already has campaigns or links (`store_not_empty`).
 *
 * @example const { counts, adminKey } = await loadDemo(config, { campaigns: 4, seed: 1, started: Date.now() });
 */
export async function loadDemo(
  config: Config,
  options: { campaigns: number; seed: number; started: number },
): Promise<{ counts: DemoCounts; adminKey: string }> {
  const { started } = options;
  const clock = { now: started };
  const server = await buildServer(config, { logger: false, now: () => clock.now });
  try {
    const db = server.store.db;
    if ((await hasCampaigns(db)) || (await hasLinks(db))) {
      throw new ChatmarkError(
        'store_not_empty',
        'The store already has campaigns or links; the demo fills only an empty store (use a new DATA_DIR)',
      );
    }
    const { secret } = await createApiKey(db, { name: 'demo', role: 'admin' }, started);
    // buildServer makes an admin key on a store without one; nobody will see its secret. It
    // goes once the demo's own admin key exists: the last admin key cannot be revoked.
    const unseen = server.generatedAdminKey;
    if (unseen) await revokeKey(db, unseen.slice(0, 11), started);
    const plan = planDemo({ campaigns: options.campaigns, random: seededRandom(options.seed), now: started });
    const counts = await runDemo(
      { inject: (request) => server.app.inject(request), clock, key: secret },
      plan,
    );
    return { counts, adminKey: secret };
  } finally {
    await server.close();
  }
}
