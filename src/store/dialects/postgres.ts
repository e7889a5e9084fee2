import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { POSTGRES, type StoreDb } from '../dialect.js';
import type { Database } from '../schema.js';
import { writeClicksPostgres } from './postgres-clicks.js';

const INT8 = 20;
const NUMERIC = 1700;

// Epoch milliseconds and click numbers are int8; they stay far below 2^53, so numbers are exact.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

export interface PostgresOptions {
  connectionString: string;
  /** A schema to use instead of `public` (tests use one each); created when missing. */
  schema?: string | undefined;
  max?: number | undefined;
}

/** The scale-out backend: any number of servers share one PostgreSQL. */
export async function openPostgres(options: PostgresOptions): Promise<StoreDb & { readonly pool: pg.Pool }> {
  const { schema } = options;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name "${schema}"`);
  }
  if (schema) {
    const admin = new pg.Client({ connectionString: options.connectionString });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    types,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle connection the server drops (a restart, a failover, a cut network) is an 'error' on
  // the pool; unheard, it would end the process. The pool replaces the connection on next use.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    dialect: POSTGRES,
    schema: schema || 'public',
    writeClicks: async (batch) => void (await writeClicksPostgres(pool, batch)),
    replayClicks: (batch) => writeClicksPostgres(pool, batch),
    close: () => db.destroy(),
  };
}
