import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, POSTGRES_URL } from '../../../test/support/services.js';
import { startSilentServer } from '../../../test/support/tcp-proxy.js';
import type { StoreDb } from '../dialect.js';
import { openPostgres } from './postgres.js';

const postgres = BACKENDS.find((b) => b.name === 'postgres')!;

describe.skipIf(postgres.skipReason)('PostgreSQL pool timeouts', () => {
  const opened: StoreDb[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  it('queues a burst for a free connection longer than it waits to open one', async () => {
    // One connection, opened within 300 ms or not at all; a query holds it for 1 s.
    const store = await openPostgres({
      connectionString: POSTGRES_URL,
      max: 1,
      timeouts: { connectMs: 300, acquireMs: 10_000 },
    });
    opened.push(store);
    const slow = sql`select pg_sleep(1)`.execute(store.db);
    const queued = Array.from({ length: 5 }, (_, i) =>
      sql<{ n: number }>`select ${i}::int as n`.execute(store.db),
    );
    await slow;
    // pg-pool would have given up on the queued ones after the 300 ms connect timeout.
    expect((await Promise.all(queued)).map((r) => r.rows[0]?.n)).toEqual([0, 1, 2, 3, 4]);
  });

  it('still gives up on a socket that accepts and never answers within the connect timeout', async () => {
    const silent = await startSilentServer();
    try {
      const url = new URL(POSTGRES_URL);
      url.hostname = '127.0.0.1';
      url.port = String(silent.port);
      const store = await openPostgres({
        connectionString: url.href,
        timeouts: { connectMs: 300, acquireMs: 10_000 },
      });
      opened.push(store);
      const started = Date.now();
      await expect(sql`select 1`.execute(store.db)).rejects.toThrow(/timeout/i);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await silent.close();
    }
  });
});
