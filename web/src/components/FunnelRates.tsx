import { RATE_KPIS, type RateKpi } from '../../../src/domain/funnel.js';
import type { FunnelRow } from '../../../src/http/contract/reports.js';
import { formatNumber, formatRate, formatRateInterval, NONE, rateDigits } from '../format.js';

type CountField =
  'impressions' | 'link_clicks' | 'landing_visits' | 'chats_started' | 'qualified' | 'conversions';

/** Each rate of DESIGN.md's KPI table as a fraction of two counts of the funnel row. */
const RATES: Readonly<
  Record<RateKpi, { label: string; of: [CountField, CountField]; words: [string, string] }>
> = {
  ctr: { label: 'Click-through rate', of: ['link_clicks', 'impressions'], words: ['clicks', 'impressions'] },
  click_to_message_rate: {
    label: 'Click → chat',
    of: ['chats_started', 'link_clicks'],
    words: ['chats', 'human clicks'],
  },
  chat_start_rate: {
    label: 'Chat start rate',
    of: ['chats_started', 'landing_visits'],
    words: ['chats', 'landing visits'],
  },
  qualification_rate: {
    label: 'Qualification rate',
    of: ['qualified', 'chats_started'],
    words: ['qualified', 'chats'],
  },
  conversion_rate: {
    label: 'Conversion rate',
    of: ['conversions', 'chats_started'],
    words: ['conversions', 'chats'],
  },
};

/** Why a rate or its interval is missing, in words. */
function missing(row: FunnelRow, kpi: RateKpi): string | null {
  const { of, words } = RATES[kpi];
  if (row[kpi] === null) return `no ${words[1]}: nothing to divide by`;
  if (row.intervals[kpi] !== null) return null;
  // The API gives no interval when the numerator exceeds the denominator (src/domain/funnel.ts).
  return (row[of[0]] ?? 0) > (row[of[1]] ?? 0)
    ? `more ${words[0]} than ${words[1]}: not a proportion`
    : 'no interval';
}

/**
 * Every funnel rate of a report row with its 95% Wilson interval, as GET /api/reports/funnel
 * computes them; a rate whose denominator is 0 shows "—" and why. The unrounded numbers sit in
 * `data-value` (the interval as "low,high"), so tests can compare them with the API's.
 */
export function FunnelRates({ row, conversion }: { row: FunnelRow; conversion: string }) {
  return (
    <table className="table responsive compact" data-testid="funnel-rates">
      <caption className="hint">
        Each rate with its 95% Wilson interval; conversions are <code>{conversion}</code> events, credited
        under the report’s model.
      </caption>
      <thead>
        <tr>
          <th>Rate</th>
          <th className="num">Counts</th>
          <th className="num">Value</th>
          <th className="num">95% interval</th>
        </tr>
      </thead>
      <tbody>
        {RATE_KPIS.map((kpi) => {
          const { label, of, words } = RATES[kpi];
          const value = row[kpi];
          const interval = row.intervals[kpi];
          const digits = value === null ? 1 : rateDigits(value, interval);
          const why = missing(row, kpi);
          return (
            <tr key={kpi} data-testid={`rate-${kpi}`}>
              <td data-label="Rate">
                {label} <code className="muted">{kpi}</code>
              </td>
              <td data-label="Counts" className="num">
                {formatNumber(row[of[0]])} {words[0]} / {formatNumber(row[of[1]] ?? 0)} {words[1]}
              </td>
              <td
                data-label="Value"
                className="num"
                data-testid="value"
                data-value={value === null ? undefined : String(value)}
              >
                {formatRate(value, digits)}
              </td>
              <td
                data-label="95% interval"
                className="num"
                data-testid="interval"
                data-value={interval === null ? undefined : interval.join(',')}
              >
                {interval === null ? (
                  <span className="muted">
                    {NONE} {why}
                  </span>
                ) : (
                  formatRateInterval(interval, digits)
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
