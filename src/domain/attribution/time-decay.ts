import { creditsFromWeights } from './credits.js';
import type { Touch } from './types.js';
import { DEFAULT_HALF_LIFE_MS } from './windows.js';

/**
 * `time_decay` (spec/metrics.md §2): wᵢ = 2^(−Δᵢ/H), cᵢ = wᵢ/Σw with Δᵢ = T − tᵢ. A touch H before
 * another gets half its credit (Google Ads: 8 days before vs 1 day before with H = 7 days).
 *
 * Weights are taken relative to the most recent touch, 2^(−(Δᵢ − Δₘᵢₙ)/H): the ratios are the same,
 * but the largest weight is 1, so Σw never underflows to 0 however long the window or short H is.
 *
 * @example timeDecayCredits([eightDaysBefore, oneDayBefore], T) // [1/3, 2/3]
 */
export function timeDecayCredits(
  touches: readonly Touch[],
  conversionAt: number,
  halfLifeMs: number = DEFAULT_HALF_LIFE_MS,
): number[] {
  const deltas = touches.map((touch) => conversionAt - touch.at);
  const nearest = deltas.reduce((min, delta) => Math.min(min, delta), Number.POSITIVE_INFINITY);
  return creditsFromWeights(deltas.map((delta) => 2 ** (-(delta - nearest) / halfLifeMs)));
}
