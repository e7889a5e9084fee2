import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, dropTestSchemas } from '../../../test/support/services.js';
import { dialectOf, type StoreDb } from '../dialect.js';
import { lockKeys, needsKeyLocks } from '../locks.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachBackend('dialect capabilities', (backend) => {
  let store: StoreDb;
  beforeAll(async () => {
    if (!backend.skipReason) store = await backend.open();
  });
  afterAll(async () => {
    await store?.close();
    await dropTestSchemas();
  });

  it('are read from the database or a transaction on it, as the store was opened', async () => {
    expect(dialectOf(store.db)).toBe(store.dialect);
    await store.db.transaction().execute(async (trx) => {
      expect(dialectOf(trx)).toBe(store.dialect);
    });
    // Several writers at once only on PostgreSQL; SQLite has one writer at a time.
    expect(needsKeyLocks(store.db)).toBe(backend.name === 'postgres');
  });

  it('make a second writer of the same key wait for the first to commit (where writers run at once)', async () => {
    const order: string[] = [];
    let locked!: () => void;
    const firstHolds = new Promise<void>((resolve) => (locked = resolve));
    const first = store.db.transaction().execute(async (trx) => {
      await lockKeys(trx, ['event:order-1001']);
      locked();
      await sleep(150);
      order.push('first commits');
    });
    await firstHolds;
    if (!store.dialect.keyLocks) {
      // SQLite: the lock is a no-op, and its one connection runs the transactions in turn anyway.
      await first;
      await store.db.transaction().execute((trx) => lockKeys(trx, ['event:order-1001']));
      return;
    }
    await store.db.transaction().execute(async (trx) => {
      await lockKeys(trx, ['event:order-1001', 'identity:x']);
      order.push('second locked');
    });
    await first;
    expect(order).toEqual(['first commits', 'second locked']);
  });
});
