import { TOUCH_PRECEDENCE, type Touch } from './types.js';

/**
 * The attribution order t₁ … tₙ (spec/metrics.md §2): by time; at the same instant the touch of
 * higher precedence (click > chat_started > exposure) comes later, so it is the one `last_touch` and
 * the immediate touch pick; then by id. Ids compare numerically when both are numbers, by UTF-16
 * code units when both are strings (never locale-dependent), and numbers before strings, so the order
 * is total and independent of the input order.
 *
 * @example [exposure@t, click@t].sort(compareTouches) // exposure first, click last
 */
export function compareTouches(a: Touch, b: Touch): number {
  if (a.at !== b.at) return a.at - b.at;
  const precedence = TOUCH_PRECEDENCE[a.type] - TOUCH_PRECEDENCE[b.type];
  if (precedence !== 0) return precedence;
  return compareIds(a.id, b.id);
}

/**
 * A sorted copy in attribution order; the input is left as it was.
 *
 * @example sortTouches(touches).at(-1) // the touch closest to the conversion
 */
export function sortTouches(touches: readonly Touch[]): Touch[] {
  return [...touches].sort(compareTouches);
}

function compareIds(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
