import { checkNumber, checkSuccesses } from './validate.js';

/**
 * z for a two-sided 95% interval, Φ⁻¹(0.975). spec/metrics.md §4 prints it as 1.959964; its vectors
 * (R `binom.confint`) were computed with R's full-precision `qnorm(0.975)`, and the rounded
 * 1.959964 misses them in the 9th–10th decimal, so the default is the full value.
 */
export const Z_95 = 1.959963984540054;

/**
 * The Wilson score interval for x successes out of n (spec/metrics.md §4), clamped to [0, 1];
 * null when n = 0 (no data, no interval). x may be fractional (attributed credits), 0 ≤ x ≤ n.
 *
 * @example wilsonInterval(18, 20) // [0.6989663547715127, 0.9721335187862318]
 * @example wilsonInterval(0, 0) // null
 */
export function wilsonInterval(x: number, n: number, z: number = Z_95): [number, number] | null {
  checkSuccesses(x, n, '', false);
  checkNumber(z, 'z', true);
  if (n === 0) return null;
  const p = x / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // The ends at x = 0 and x = n are exactly 0 and 1; computing them leaves rounding dust. The
  // min/max keep p̂ inside the interval whatever the rounding.
  const low = x === 0 ? 0 : Math.max(0, Math.min(center - half, p));
  const high = x === n ? 1 : Math.min(1, Math.max(center + half, p));
  return [low, high];
}
