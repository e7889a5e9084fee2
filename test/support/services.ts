import { Redis } from 'ioredis';
import pg from 'pg';
import { beforeEach, describe } from 'vitest';
import type { StoreDb } from '../../src/store/dialect.js';
import { openStore } from '../../src/store/open-store.js';

/**
 * The real services tests run against. PostgreSQL and Redis are used when reachable and required
 * when CI=true; without them the tests that need them are skipped with the reason printed at the
 * end of `npm test`. (Tests may read these variables; the product reads the environment only in
 * src/config.ts.)
 */
export const CI = process.env.CI === 'true';
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function reachablePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return `PostgreSQL not reachable at ${POSTGRES_URL} (${(error as Error).message}); set TEST_POSTGRES_URL`;
  } finally {
    await client.end().catch(() => {});
  }
}

async function reachableRedis(): Promise<string | null> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return `Redis not reachable at ${REDIS_URL} (${(error as Error).message}); set TEST_REDIS_URL`;
  } finally {
    redis.disconnect();
  }
}

const postgresProblem = await reachablePostgres();
if (postgresProblem && CI) throw new Error(`CI=true requires PostgreSQL: ${postgresProblem}`);
/** Why Redis tests are skipped here, or null when Redis is reachable. */
export const redisProblem = await reachableRedis();
if (redisProblem && CI) throw new Error(`CI=true requires Redis: ${redisProblem}`);
/** Why tests that need PostgreSQL and Redis together are skipped, or null. */
export const scaleOutProblem = postgresProblem ?? redisProblem;

export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  /** Why this backend's tests are skipped here, or null when it runs. */
  readonly skipReason: string | null;
  /** A fresh, empty, migrated store (own schema on PostgreSQL, in-memory on SQLite). */
  open(): Promise<StoreDb>;
}

let schemaCounter = 0;
const schemas: string[] = [];

export const BACKENDS: readonly Backend[] = [
  { name: 'sqlite', skipReason: null, open: () => openStore({ kind: 'sqlite', file: ':memory:' }) },
  {
    name: 'postgres',
    skipReason: postgresProblem,
    open: () => {
      const schema = `t_${process.pid}_${Date.now().toString(36)}_${(schemaCounter++).toString(36)}`;
      schemas.push(schema);
      return openStore({ kind: 'postgres', url: POSTGRES_URL, schema });
    },
  },
];

/** Drops the schemas this test file made on PostgreSQL. */
export async function dropTestSchemas(): Promise<void> {
  if (postgresProblem || schemas.length === 0) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    for (const schema of schemas.splice(0)) await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/**
 * Runs `suite` once per backend (Hono's `runTest` habit: one suite, every implementation). A
 * backend that is not reachable here has each of its tests skipped with the reason.
 */
export function describeEachBackend(title: string, suite: (backend: Backend) => void): void {
  for (const backend of BACKENDS) {
    describe(`${title} [${backend.name}]`, () => {
      if (backend.skipReason) {
        const reason = backend.skipReason;
        beforeEach((ctx) => ctx.skip(reason));
      }
      suite(backend);
    });
  }
}
