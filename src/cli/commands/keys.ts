import type { Command } from 'commander';
import { ChatmarkError } from '../../domain/errors.js';
import type { StoreDb } from '../../store/dialect.js';
import { action, type JsonOption, jsonOption, printResult } from '../output.js';

const ROLE_NAMES = ['admin', 'editor', 'viewer'] as const;

/** Opens the configured store (the same one `serve` uses), runs `run`, and closes it. */
export async function withStore<T>(run: (store: StoreDb) => Promise<T>): Promise<T> {
  const { loadConfig, processEnv } = await import('../../config.js');
  const { openStore } = await import('../../store/open-store.js');
  const store = await openStore(loadConfig(processEnv()).store);
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

/** `chatmark keys create|list|revoke`: API keys, managed in the configured store directly. */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('create, list and revoke API keys');
  keys
    .command('create')
    .description('create an API key (its secret is printed once)')
    .requiredOption('--role <role>', `one of ${ROLE_NAMES.join(', ')}`)
    .option('--name <name>', 'what the key is for', 'cli')
    .addOption(jsonOption())
    .action(
      action(async (options: { role: string; name: string } & JsonOption) => {
        const role = ROLE_NAMES.find((r) => r === options.role);
        if (!role)
          throw new ChatmarkError('invalid_role', `--role must be one of ${ROLE_NAMES.join(', ')}`, 'role');
        const { createApiKey } = await import('../../services/keys.service.js');
        const created = await withStore((store) =>
          createApiKey(store.db, { name: options.name, role }, Date.now()),
        );
        printResult(
          created,
          `${created.secret}\n(${created.key.role} key "${created.key.name}", id ${created.key.id}: the secret is shown this once)`,
          options.json === true,
        );
        return 0;
      }),
    );
  keys
    .command('list')
    .description('list API keys (never their secrets)')
    .addOption(jsonOption())
    .action(
      action(async (options: JsonOption) => {
        const { listKeys } = await import('../../services/keys.service.js');
        const list = await withStore((store) => listKeys(store.db));
        const text = list
          .map(
            (k) =>
              `${k.id}\t${k.prefix}…\t${k.role}\t${k.name}${k.revokedAt ? `\trevoked ${k.revokedAt}` : ''}`,
          )
          .join('\n');
        printResult({ keys: list }, text || '(no keys)', options.json === true);
        return 0;
      }),
    );
  keys
    .command('revoke')
    .description('revoke an API key by its id or its prefix (cm_…)')
    .argument('<key>', 'the key id, or its first characters (cm_…)')
    .addOption(jsonOption())
    .action(
      action(async (which: string, options: JsonOption) => {
        const { revokeKey } = await import('../../services/keys.service.js');
        const id = /^\d+$/.test(which) ? Number(which) : which.slice(0, 11);
        const key = await withStore((store) => revokeKey(store.db, id, Date.now()));
        printResult(key, `revoked ${key.prefix}… (${key.role} "${key.name}")`, options.json === true);
        return 0;
      }),
    );
}
