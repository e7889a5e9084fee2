import { creditsFromWeights } from './credits.js';
import type { Touch } from './types.js';

/**
 * `last_touch` (spec/metrics.md §2): cₙ = 1. `touches` are the eligible touches in attribution order;
 * the result has one credit per touch.
 *
 * @example lastTouchCredits([a, b, c]) // [0, 0, 1]
 */
export function lastTouchCredits(touches: readonly Touch[]): number[] {
  return creditsFromWeights(touches.map((_, i) => (i === touches.length - 1 ? 1 : 0)));
}
