/**
 * A one-line progress bar for long CLI runs (`import`). Hand-written: it is a dozen lines, and a
 * package for it would be one more dependency to keep.
 */

export interface ProgressState {
  /** Rows done so far. */
  done: number;
  /** Rows expected (an estimate from a line count; 0 when unknown). */
  total: number;
  /** Milliseconds since the run started. */
  elapsedMs: number;
}

const WIDTH = 24;
const count = (n: number) => n.toLocaleString('en-US');

/**
 * The bar as one line, without the leading `\r`. The total is an estimate (blank lines and quoted
 * line breaks count as lines), so the bar stops at 100% and the total grows to `done` rather than
 * showing more done than expected.
 *
 * @example renderProgress({ done: 500, total: 1000, elapsedMs: 2000 })
 * // '[############------------]  50% 500/1,000 rows  250 rows/s'
 */
export function renderProgress({ done, total, elapsedMs }: ProgressState): string {
  const expected = Math.max(total, done);
  const ratio = expected === 0 ? 1 : done / expected;
  const filled = Math.floor(ratio * WIDTH);
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  const rate = elapsedMs > 0 ? `  ${count(Math.round((done * 1000) / elapsedMs))} rows/s` : '';
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${percent} ${count(done)}/${count(expected)} rows${rate}`;
}

export interface ProgressBar {
  /** Records progress; redraws at most every `intervalMs`. */
  update(done: number): void;
  /** Draws the final state (total = done) and ends the line. */
  finish(done: number): void;
  /** Erases the bar (the run failed; its error message takes the line). */
  clear(): void;
}

/**
 * A bar drawn on `out` (a terminal: it redraws in place with `\r`). Callers decide whether to draw
 * at all (only on a TTY, never with `--json`); `now` is injectable for tests.
 *
 * @example const bar = createProgressBar(process.stderr, total); bar.update(n); bar.finish(n);
 */
export function createProgressBar(
  out: { write(text: string): unknown },
  total: number,
  { now = Date.now, intervalMs = 100 }: { now?: () => number; intervalMs?: number } = {},
): ProgressBar {
  const started = now();
  let drawnAt = -Infinity;
  const draw = (done: number, expected: number) => {
    // `\x1b[K` clears what a longer previous line left behind.
    out.write(`\r${renderProgress({ done, total: expected, elapsedMs: now() - started })}\x1b[K`);
  };
  return {
    update(done) {
      const at = now();
      if (at - drawnAt < intervalMs) return;
      drawnAt = at;
      draw(done, total);
    },
    finish(done) {
      draw(done, done);
      out.write('\n');
    },
    clear() {
      if (drawnAt !== -Infinity) out.write('\r\x1b[K');
    },
  };
}
