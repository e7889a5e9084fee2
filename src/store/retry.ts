import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * PostgreSQL's verdicts on a transaction that lost a race rather than failed: a deadlock
 * (`40P01`) or a serialization failure (`40001`). Nothing it wrote is kept, so running it again is
 * safe; the race is usually gone on the next attempt.
 */
const RETRYABLE = new Set(['40P01', '40001']);

/**
 * A race our own code detected (an identity taken by another writer between our read and our
 * write): like a serialization failure, the transaction is rolled back and run again.
 */
export class LostRace extends Error {
  override readonly name = 'LostRace';
}

export function isRetryableConflict(error: unknown): boolean {
  if (error instanceof LostRace) return true;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && RETRYABLE.has(code);
}

export interface RetryOptions {
  /** Attempts in all, the first included (default 5). */
  attempts?: number;
  /** The first pause; each later one doubles it, and each is a random point below that (default 10 ms). */
  baseDelayMs?: number;
  /** Which errors are worth another attempt (default: deadlocks and serialization failures). */
  retryOn?: (error: unknown) => boolean;
}

/**
 * Runs `attempt` again while it fails with a retryable conflict, a few times, pausing a random
 * time ("full jitter") so that the transactions that collided do not collide again in step.
 * `attempt` must be a whole transaction: a retry inside a failed one is refused by PostgreSQL.
 *
 * @example await retryConflicts(() => db.transaction().execute((trx) => write(trx)))
 */
export async function retryConflicts<T>(attempt: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 10;
  const retryOn = options.retryOn ?? isRetryableConflict;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= attempts || !retryOn(error)) throw error;
      await sleep(Math.random() * base * 2 ** (n - 1));
    }
  }
}

/**
 * `db.transaction().execute(run)`, run again from the start when PostgreSQL aborts it as a
 * deadlock or serialization failure.
 */
export function transactionWithRetry<T>(
  db: Kysely<Database>,
  run: (trx: Transaction<Database>) => Promise<T>,
  options?: RetryOptions,
): Promise<T> {
  return retryConflicts(() => db.transaction().execute(run), options);
}
