import { Kysely, PostgresAdapter, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { ConnectionState } from '../connection-state.js';
import type { ChatmarkAdapter, DialectInfo, StoreDb } from '../dialect.js';
import type { Database } from '../schema.js';
import { writeClicksPostgres } from './postgres-clicks.js';

export const POSTGRES: DialectInfo = {
  name: 'postgres',
  serial: 'serial',
  bigint: 'bigint',
  clusteredTables: false,
  autoIncrement: (column) => column,
  keyLocks: true,
  // Advisory locks: unnest yields the rows in array order, so the locks are taken in that order.
  async lockInTransaction(db, locks) {
    if (locks.length === 0) return;
    await sql`select case when x then pg_advisory_xact_lock_shared(s, k) else pg_advisory_xact_lock(s, k) end
      from unnest(${locks.map((l) => l.space)}::int4[], ${locks.map((l) => l.key)}::int4[], ${locks.map(
        (l) => l.shared === true,
      )}::bool[]) as u(s, k, x)`.execute(db);
  },
};

class ChatmarkPostgresAdapter extends PostgresAdapter implements ChatmarkAdapter {
  readonly chatmark = POSTGRES;
}

class ChatmarkPostgresDialect extends PostgresDialect {
  override createAdapter() {
    return new ChatmarkPostgresAdapter();
  }
}

const INT8 = 20;
const NUMERIC = 1700;

// Epoch milliseconds and click numbers are int8; they stay far below 2^53, so numbers are exact.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * How long to wait for PostgreSQL. Without these a database that accepts a connection and never
 * answers (a half-dead failover, a black-holed route) hangs start-up and every request forever.
 */
export const POSTGRES_TIMEOUTS: Readonly<PostgresTimeouts> = Object.freeze({
  /** Opening a connection (TCP + startup + auth). */
  connectMs: 5_000,
  /**
   * Waiting for a free pooled connection when all are busy: a burst queues here rather than
   * failing, so this is longer than opening one (pg-pool would use `connectMs` for both).
   */
  acquireMs: 30_000,
  /** One statement, enforced by the server (`statement_timeout`); 0 turns it off. */
  statementMs: 30_000,
  /**
   * One query, enforced here, for a server that can't enforce anything (a dead peer, a black
   * hole): the statement timeout plus this margin, or none when statements have no limit.
   */
  queryMarginMs: 5_000,
  /** An idle pooled connection is closed after this. */
  idleMs: 30_000,
  /** A transaction left open by a stuck client is ended by the server after this. */
  idleInTransactionMs: 60_000,
});

export interface PostgresTimeouts {
  connectMs: number;
  acquireMs: number;
  statementMs: number;
  queryMarginMs: number;
  idleMs: number;
  idleInTransactionMs: number;
}

export interface PostgresOptions {
  connectionString: string;
  /** A schema to use instead of `public` (tests use one each); created when missing. */
  schema?: string | undefined;
  max?: number | undefined;
  /** Overrides of POSTGRES_TIMEOUTS (tests shorten them; migrations turn the statement one off). */
  timeouts?: Partial<PostgresTimeouts> | undefined;
  /** `application_name` of the connections, so an operator can tell servers apart in pg_stat_activity. */
  applicationName?: string | undefined;
  /** Told when connections fail and when a new one succeeds (logging, the metric). */
  state?: ConnectionState | undefined;
}

/** The scale-out backend: any number of servers share one PostgreSQL. */
export async function openPostgres(options: PostgresOptions): Promise<StoreDb & { readonly pool: pg.Pool }> {
  const { schema } = options;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name "${schema}"`);
  }
  const timeouts = { ...POSTGRES_TIMEOUTS, ...options.timeouts };
  const connection = {
    connectionString: options.connectionString,
    connectionTimeoutMillis: timeouts.connectMs,
    ...(timeouts.statementMs > 0 && { query_timeout: timeouts.statementMs + timeouts.queryMarginMs }),
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: (options.applicationName ?? `chatmark${schema ? `:${schema}` : ''}`).slice(0, 63),
    ...(timeouts.statementMs > 0 && { statement_timeout: timeouts.statementMs }),
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
  };
  if (schema) {
    const admin = new pg.Client(connection);
    admin.on('error', () => undefined); // a drop is reported by the query that fails
    await admin.connect();
    try {
      await admin.query(`create schema if not exists ${schema}`);
    } finally {
      await admin.end();
    }
  }
  // pg-pool gives its own `connectionTimeoutMillis` to every client it opens: a client class of
  // our own keeps the connect timeout short while the pool's wait for a free client is longer.
  class Client extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: timeouts.connectMs });
    }
  }
  const pool = new pg.Pool({
    ...connection,
    Client,
    connectionTimeoutMillis: timeouts.acquireMs,
    max: options.max ?? 10,
    idleTimeoutMillis: timeouts.idleMs,
    types,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const { state } = options;
  // A connection dropped by the server (pg_terminate_backend, a restart, a failover) emits 'error'
  // on its client, idle (the pool re-emits it) or checked out by a query (nobody listens): an
  // unhandled 'error' event would end the process. The failing query rejects by itself; the pool
  // discards the broken client and opens a new one when asked, so recovery needs nothing more.
  pool.on('error', (error) => state?.markDown(error));
  pool.on('connect', (client) => {
    client.on('error', (error) => state?.markDown(error));
    state?.markUp();
  });
  const db = new Kysely<Database>({ dialect: new ChatmarkPostgresDialect({ pool }) });
  return {
    db,
    pool,
    dialect: POSTGRES,
    schema: schema || 'public',
    writeClicks: async (batch) => void (await writeClicksPostgres(pool, batch)),
    replayClicks: (batch) => writeClicksPostgres(pool, batch),
    ping: async () => void (await sql`select 1`.execute(db)),
    close: () => db.destroy(),
  };
}
