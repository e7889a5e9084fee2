import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS, dropTestSchemas, POSTGRES_URL } from '../../test/support/services.js';

const postgres = BACKENDS.find((b) => b.name === 'postgres')!;

describe.skipIf(postgres.skipReason)('migrations on a PostgreSQL shared with others', () => {
  afterAll(dropTestSchemas);

  it('start while other installations drop their schemas (Kysely reads every schema)', async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    let churning = true;
    // Other tests (or installations) making and dropping schemas with tables in them, far more
    // often than a test suite does.
    const churn = (async () => {
      for (let i = 0; churning; i++) {
        const name = `churn_${process.pid}_${i % 4}`;
        await client.query(`create schema if not exists ${name}`);
        await client.query(`create table if not exists ${name}.t (id serial primary key)`);
        await client.query(`drop schema ${name} cascade`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      const results = await Promise.allSettled(Array.from({ length: 12 }, () => postgres.open()));
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      for (const r of results) if (r.status === 'fulfilled') await r.value.close();
      expect(failures).toEqual([]);
    } finally {
      churning = false;
      await churn;
      await client.end();
    }
  }, 60_000);
});
