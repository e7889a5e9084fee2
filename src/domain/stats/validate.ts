import { ChatmarkError } from '../errors.js';

/**
 * Input checks shared by the stats functions. They throw ChatmarkError (so the API answers 422
 * with the offending field) instead of letting a NaN travel into a report.
 */

/**
 * A count: finite and ≥ 0; whole unless `whole` is false (attributed conversions can be fractional
 * credits, spec/metrics.md §2).
 *
 * @example checkCount(12, 'variant.x') // passes; checkCount(-1, 'variant.x') throws invalid_count
 */
export function checkCount(value: number, field: string, whole = true): void {
  const ok = Number.isFinite(value) && value >= 0 && (!whole || Number.isInteger(value));
  if (!ok) {
    const what = whole ? 'a whole number ≥ 0' : 'a finite number ≥ 0';
    throw new ChatmarkError('invalid_count', `${field} must be ${what}, got ${value}`, field);
  }
}

/** x successes out of n trials: both counts, and x ≤ n. Fields are `x`, `n` or `<prefix>.x`, `<prefix>.n`. */
export function checkSuccesses(x: number, n: number, prefix = '', whole = true): void {
  const xField = prefix ? `${prefix}.x` : 'x';
  const nField = prefix ? `${prefix}.n` : 'n';
  checkCount(n, nField, whole);
  checkCount(x, xField, whole);
  if (x > n) throw new ChatmarkError('invalid_count', `${xField} (${x}) exceeds ${nField} (${n})`, xField);
}

/** A probability strictly between 0 and 1 (alpha, power) or, with `closed`, in [0, 1] (a rate). */
export function checkProbability(value: number, field: string, closed = false): void {
  const ok = closed ? value >= 0 && value <= 1 : value > 0 && value < 1;
  if (!ok) {
    const range = closed ? '[0, 1]' : '(0, 1)';
    throw new ChatmarkError('invalid_probability', `${field} must be in ${range}, got ${value}`, field);
  }
}

/** A finite number, optionally ≥ 0. */
export function checkNumber(value: number, field: string, nonNegative = false): void {
  if (!Number.isFinite(value) || (nonNegative && value < 0)) {
    const what = nonNegative ? 'a finite number ≥ 0' : 'a finite number';
    throw new ChatmarkError('invalid_number', `${field} must be ${what}, got ${value}`, field);
  }
}
