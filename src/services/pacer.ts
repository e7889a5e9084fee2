import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';

/** How long a long-running task may hold the event loop before it lets other requests in. */
export const PACE_BUDGET_MS = 10;

export interface Pacer {
  /** True once the work since the last pause has taken the budget: then `await pause()`. */
  due(): boolean;
  /** Yields to the event loop (I/O, timers, other requests), then starts a new budget. */
  pause(): Promise<void>;
  /** Pauses only when due: the one call to put after each query and in each long loop. */
  step(): Promise<void>;
}

/**
 * Lets long work (a year-long report) share the event loop: it runs for about `budgetMs`, then
 * yields with `setImmediate`, so `/healthz` and redirects wait at most about that long. Needed on
 * SQLite above all, where better-sqlite3 answers queries synchronously: awaiting them never gives
 * the loop back by itself. Checking is cheap (`due()` reads a clock), so tight loops call
 * `if (pace.due()) await pace.pause()` instead of awaiting on every item.
 *
 * @example const pace = createPacer(); for (const row of rows) { work(row); if (pace.due()) await pace.pause(); }
 */
export function createPacer(budgetMs = PACE_BUDGET_MS): Pacer {
  let since = performance.now();
  const pacer: Pacer = {
    due: () => performance.now() - since >= budgetMs,
    async pause() {
      await setImmediate();
      since = performance.now();
    },
    async step() {
      if (pacer.due()) await pacer.pause();
    },
  };
  return pacer;
}
