import { createHash } from 'node:crypto';
import type { Db } from './db.js';
import { dialectOf } from './dialect.js';

/** The lock namespace of record keys (touches.repository.ts uses 7301 for contacts). */
const KEY_LOCKS = 7302;
/** One lock over every key: writers of a few keys hold it shared, writers of many exclusively. */
const ALL_KEYS = 7303;
/**
 * PostgreSQL keeps every lock in one shared table of about `max_locks_per_transaction` (64) per
 * connection: a 1,000-event batch locking each key would fill it ("out of shared memory") as soon
 * as a few ran at once. Writers split their work into transactions of at most this many keys; one
 * that still has more locks all keys instead (and so waits for, and stalls, every other writer).
 */
export const KEY_LOCK_BUDGET = 64;

/** Whether writers must lock their keys here (PostgreSQL); SQLite has one writer at a time. */
export function needsKeyLocks(db: Db): boolean {
  return dialectOf(db).keyLocks;
}

/** A key's lock number: 32 bits of its SHA-256 (two keys sharing one only wait for each other). */
function lockNumber(key: string): number {
  return createHash('sha256').update(key).digest().readInt32BE(0);
}

/**
 * On PostgreSQL, where several servers write at once: holds a lock on each key (an identity, an
 * idempotency key, a click, a discount code) until the transaction ends. Take it first in the
 * transaction, before reading what the transaction decides on: two writers about the same person
 * then take turns (the second reads what the first wrote, READ COMMITTED), and the locks are
 * taken in one statement in one order (the shared lock over all keys, then the keys ascending),
 * so writers of overlapping sets in any order cannot deadlock. Calling it again in the same
 * transaction with some of the same keys is free. SQLite has one writer at a time already.
 *
 * @example await lockKeys(trx, ['identity:email\u0000<hmac>', 'event:order-1001'])
 */
export async function lockKeys(db: Db, keys: Iterable<string>): Promise<void> {
  const dialect = dialectOf(db);
  if (!dialect.keyLocks) return;
  const numbers = [...new Set([...keys].map(lockNumber))].sort((a, b) => a - b);
  if (numbers.length === 0) return;
  if (numbers.length > KEY_LOCK_BUDGET) {
    await dialect.lockInTransaction(db, [{ space: ALL_KEYS, key: 0 }]);
    return;
  }
  await dialect.lockInTransaction(db, [
    { space: ALL_KEYS, key: 0, shared: true },
    ...numbers.map((key) => ({ space: KEY_LOCKS, key })),
  ]);
}
