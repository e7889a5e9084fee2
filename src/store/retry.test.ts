import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS, dropTestSchemas } from '../../test/support/services.js';
import { isRetryableConflict, retryConflicts, transactionWithRetry } from './retry.js';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe('retryConflicts', () => {
  it('runs again on a deadlock or a serialization failure, and answers the attempt that succeeded', async () => {
    const failures = [pgError('40P01'), pgError('40001')];
    let calls = 0;
    const result = await retryConflicts(
      async () => {
        calls += 1;
        const error = failures.shift();
        if (error) throw error;
        return 'done';
      },
      { baseDelayMs: 1 },
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['a plain error', new Error('boom')],
    ['a thrown string', '40P01'],
  ])('passes %s through at once', async (_, error) => {
    let calls = 0;
    await expect(
      retryConflicts(async () => {
        calls += 1;
        throw error;
      }),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
  });

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0;
    const last = pgError('40P01');
    await expect(
      retryConflicts(
        async () => {
          calls += 1;
          throw calls === 3 ? last : pgError('40P01');
        },
        { attempts: 3, baseDelayMs: 1 },
      ),
    ).rejects.toBe(last);
    expect(calls).toBe(3);
  });

  it('retries what the caller says is retryable', async () => {
    let calls = 0;
    const result = await retryConflicts(
      async () => {
        calls += 1;
        if (calls === 1) throw pgError('23505');
        return calls;
      },
      { retryOn: (e) => isRetryableConflict(e) || (e as { code?: string }).code === '23505', baseDelayMs: 1 },
    );
    expect(result).toBe(2);
  });
});

const postgres = BACKENDS.find((b) => b.name === 'postgres');

describe('transactionWithRetry on PostgreSQL', () => {
  afterAll(dropTestSchemas);

  it('survives a real deadlock: both transactions commit', async (ctx) => {
    // SQLite has one writer at a time: two transactions cannot deadlock there.
    if (!postgres || postgres.skipReason) return ctx.skip(postgres?.skipReason ?? 'no PostgreSQL backend');
    const store = await postgres.open();
    try {
      await sql`create table retry_rows (id integer primary key, n integer not null)`.execute(store.db);
      await sql`insert into retry_rows values (1, 0), (2, 0)`.execute(store.db);
      let arrived = 0;
      let release!: () => void;
      const bothHoldOne = new Promise<void>((resolve) => (release = resolve));
      const attempts = { a: 0, b: 0 };
      // Each locks one row, waits until the other holds its own, then wants the other's row.
      const cross = (name: 'a' | 'b', first: number, second: number) =>
        transactionWithRetry(store.db, async (trx) => {
          attempts[name] += 1;
          await sql`update retry_rows set n = n + 1 where id = ${first}`.execute(trx);
          if (attempts[name] === 1 && ++arrived === 2) release();
          await bothHoldOne;
          await sql`update retry_rows set n = n + 1 where id = ${second}`.execute(trx);
        });
      await Promise.all([cross('a', 1, 2), cross('b', 2, 1)]);
      expect(attempts.a + attempts.b).toBe(3);
      const rows = await sql<{ id: number; n: number }>`select id, n from retry_rows order by id`.execute(
        store.db,
      );
      expect(rows.rows).toEqual([
        { id: 1, n: 2 },
        { id: 2, n: 2 },
      ]);
    } finally {
      await store.close();
    }
  });
});
