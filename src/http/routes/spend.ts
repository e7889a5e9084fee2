import type { IdentityHasher } from '../../services/identity.js';
import { recordCost, recordExposuresInRuns } from '../../services/spend.service.js';
import type { AppContext, ZodApp } from '../app.js';
import { costsBody, costsRecorded, exposuresBody, exposuresRecorded } from '../contract/spend.js';

/** `POST /api/exposures` (sends: the billboard model's touches) and `POST /api/costs` (spend per day). */
export function spendRoutes(identities: IdentityHasher) {
  return (app: ZodApp, ctx: AppContext): void => {
    app.post(
      '/api/exposures',
      {
        config: { role: 'editor' },
        schema: {
          tags: ['spend'],
          summary: 'Record messages sent to contacts (one or up to 10,000)',
          body: exposuresBody,
          response: { 201: exposuresRecorded },
        },
      },
      async (request, reply) => {
        const items = Array.isArray(request.body) ? request.body : [request.body];
        const created = await recordExposuresInRuns(
          ctx.store.db,
          identities,
          items.map((e) => ({ ...e, sentAt: Date.parse(e.sentAt) })),
          ctx.now(),
        );
        return reply.status(201).send({ received: items.length, created });
      },
    );
    app.post(
      '/api/costs',
      {
        config: { role: 'editor' },
        schema: {
          tags: ['spend'],
          summary:
            "Set a campaign's spend for a day (and impressions, reach); the same day again replaces it",
          body: costsBody,
          response: { 201: costsRecorded },
        },
      },
      async (request, reply) => {
        const items = Array.isArray(request.body) ? request.body : [request.body];
        await ctx.store.db.transaction().execute(async (trx) => {
          for (const item of items) await recordCost(trx, item, ctx.now());
        });
        return reply.status(201).send({ received: items.length });
      },
    );
  };
}
