import { creditsFromWeights } from './credits.js';
import type { Touch } from './types.js';

/** Shares of the first and the last touch when n ≥ 3; the middle touches split the rest. */
const ENDS = 0.4;

/**
 * `position_based` (spec/metrics.md §2): n = 1 → [1]; n = 2 → [0.5, 0.5]; n ≥ 3 → first 0.4,
 * last 0.4, each middle touch 0.2/(n − 2).
 *
 * @example positionBasedCredits([a, b, c, d]) // [0.4, 0.1, 0.1, 0.4]
 */
export function positionBasedCredits(touches: readonly Touch[]): number[] {
  const n = touches.length;
  if (n <= 2) return creditsFromWeights(touches.map(() => 1));
  const middle = (1 - 2 * ENDS) / (n - 2);
  return creditsFromWeights(touches.map((_, i) => (i === 0 || i === n - 1 ? ENDS : middle)));
}
