import { checkNumber } from './validate.js';

/**
 * Relative change (variant − baseline)/|baseline| (DESIGN.md funnel table, spec/metrics.md §3);
 * null when the baseline is 0. For a positive baseline this is the spec's formula exactly; the
 * absolute value (as in GrowthBook's lift, §3) keeps the sign meaning "went up" when the baseline
 * is negative (ROI −0.5 → −0.25 is +50%, not −50%).
 *
 * @example relativeChange(19_000, 19_760) // 0.04 (+4.00%)
 * @example relativeChange(0, 5) // null
 */
export function relativeChange(baseline: number, variant: number): number | null {
  checkNumber(baseline, 'baseline');
  checkNumber(variant, 'variant');
  if (baseline === 0) return null;
  return (variant - baseline) / Math.abs(baseline);
}
