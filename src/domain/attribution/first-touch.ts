import { creditsFromWeights } from './credits.js';
import type { Touch } from './types.js';

/**
 * `first_touch` (spec/metrics.md §2): c₁ = 1. `touches` are the eligible touches in attribution order;
 * the result has one credit per touch.
 *
 * @example firstTouchCredits([a, b, c]) // [1, 0, 0]
 */
export function firstTouchCredits(touches: readonly Touch[]): number[] {
  return creditsFromWeights(touches.map((_, i) => (i === 0 ? 1 : 0)));
}
