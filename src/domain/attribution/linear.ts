import { creditsFromWeights } from './credits.js';
import type { Touch } from './types.js';

/**
 * `linear` (spec/metrics.md §2): cᵢ = 1/n. The last share absorbs rounding, so three touches give
 * [1/3, 1/3, 1 − 2/3] and the sum is 1.
 *
 * @example linearCredits([a, b, c, d]) // [0.25, 0.25, 0.25, 0.25]
 */
export function linearCredits(touches: readonly Touch[]): number[] {
  return creditsFromWeights(touches.map(() => 1));
}
