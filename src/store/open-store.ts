import { Migrator } from 'kysely';
import type { StoreDb } from './dialect.js';
import { openPostgres } from './dialects/postgres.js';
import { openSqlite } from './dialects/sqlite.js';
import { migrationProvider } from './migrations/index.js';

export type StoreTarget =
  { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string | undefined };

/**
 * Opens the configured backend (chosen by configuration, never sniffed) and brings its schema up
 * to date. Migrations run at every start; they are idempotent.
 */
export async function openStore(target: StoreTarget): Promise<StoreDb> {
  const store =
    target.kind === 'sqlite'
      ? openSqlite(target.file)
      : await openPostgres({ connectionString: target.url, schema: target.schema });
  try {
    await migrate(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

export async function migrate(store: StoreDb): Promise<void> {
  const migrator = new Migrator({
    db: store.db,
    provider: migrationProvider(store.dialect),
    // Kysely looks for its own tables in every schema unless told which: name ours, or a second
    // installation in another schema of the same database would be taken for this one.
    ...(store.schema && { migrationTableSchema: store.schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${String(error)}`, { cause: error });
  }
}
