import { Migrator } from 'kysely';
import { isStoreUnavailable, unreachablePostgres } from './availability.js';
import type { ConnectionState } from './connection-state.js';
import type { StoreDb } from './dialect.js';
import { openPostgres, type PostgresOptions } from './dialects/postgres.js';
import { openSqlite } from './dialects/sqlite.js';
import { migrationProvider } from './migrations/index.js';
import { retryConflicts } from './retry.js';

export type StoreTarget =
  | { kind: 'sqlite'; file: string }
  | {
      kind: 'postgres';
      url: string;
      schema?: string | undefined;
      /** Overrides POSTGRES_TIMEOUTS.statementMs (config DATABASE_STATEMENT_TIMEOUT_MS). */
      statementTimeoutMs?: number | undefined;
    };

export interface OpenStoreOptions {
  /** PostgreSQL: told when connections fail or come back (see ConnectionState). */
  state?: ConnectionState | undefined;
  /** PostgreSQL: overrides of POSTGRES_TIMEOUTS. */
  timeouts?: PostgresOptions['timeouts'];
  /** PostgreSQL: `application_name` of the connections. */
  applicationName?: string | undefined;
}

/**
 * Opens the configured backend (chosen by configuration, never sniffed) and brings its schema up
 * to date. Migrations run at every start; they are idempotent. A database that can't be reached
 * fails here with a message that names it ("cannot reach PostgreSQL at host:port: …").
 */
export async function openStore(target: StoreTarget, options: OpenStoreOptions = {}): Promise<StoreDb> {
  if (target.kind === 'sqlite') return migrated(openSqlite(target.file));
  const timeouts = {
    ...(target.statementTimeoutMs !== undefined && { statementMs: target.statementTimeoutMs }),
    ...options.timeouts,
  };
  const postgres = (overrides: Partial<PostgresOptions>) =>
    openPostgres({
      connectionString: target.url,
      schema: target.schema,
      timeouts,
      applicationName: options.applicationName,
      ...overrides,
    });
  try {
    // Migrations get a connection of their own without the statement timeout: building an index
    // on a large table may rightly take longer than any request should.
    await migrated(await postgres({ max: 1, timeouts: { ...timeouts, statementMs: 0 } })).then((store) =>
      store.close(),
    );
    return await postgres({ state: options.state });
  } catch (error) {
    throw isStoreUnavailable(error) ? unreachablePostgres(target.url, error) : error;
  }
}

async function migrated(store: StoreDb): Promise<StoreDb> {
  try {
    await migrate(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

const codeOf = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;

export async function migrate(store: StoreDb): Promise<void> {
  const migrator = new Migrator({
    db: store.db,
    provider: migrationProvider(store.dialect),
    // Kysely looks for its own tables in every schema unless told which: name ours, or a second
    // installation in another schema of the same database would be taken for this one.
    ...(store.schema && { migrationTableSchema: store.schema }),
  });
  // Kysely reads the table list of every schema in the database to find its own tables: another
  // installation or test dropping its schema at that moment fails the read with 3F000 (a schema
  // that is not ours: ours was created before), or 42P01 when one of its tables goes first.
  // Nothing was migrated then; read again.
  const dropped = (e: unknown) => codeOf(e) === '3F000' || codeOf(e) === '42P01';
  const { error, results } = await retryConflicts(
    async () => {
      const result = await migrator.migrateToLatest();
      if (result.error && dropped(result.error) && !result.results?.length) throw result.error;
      return result;
    },
    { retryOn: dropped, attempts: 10, baseDelayMs: 50 },
  );
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    // No migration failed: the database itself did (unreachable, refused); say that, not "Migration unknown".
    if (!failed) throw error;
    throw new Error(`Migration ${failed} failed: ${String(error)}`, { cause: error });
  }
}
