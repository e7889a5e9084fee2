import type { AttributionSummary, Touch } from '../attribution/index.js';
import type { AttributedTouch } from './dimensions.js';

/** Credits are sums of fractions; six decimals keep 1/3 + 1/3 + 1/3 from printing as 0.9999999999. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** The over-attribution view groups credit by a touch's campaign or channel. */
export const attributionGroup =
  (groupBy: 'campaign' | 'channel') =>
  (touch: Touch): string =>
    (touch as AttributedTouch).dims[groupBy];

/**
 * The attribution report from the period's summary: per campaign or channel, credited (rounded to
 * six decimals) vs claimed, immediate and assisted.
 */
export function attributionReportOf(conversion: string, summary: AttributionSummary) {
  return {
    conversion,
    conversions: summary.conversions,
    value: summary.value,
    rows: summary.rows.map((r) => ({ ...r, credited: round6(r.credited) })),
    unattributed: summary.unattributed,
  };
}
