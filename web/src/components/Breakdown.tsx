import { useState } from 'react';
import { useFunnel } from '../api/hooks.js';
import type { FunnelRow } from '../../../src/http/contract/reports.js';
import { formatMoney, formatNumber, formatPercent, NONE } from '../format.js';
import { Segmented } from './Segmented.js';
import { Empty, ErrorNote, Loading } from './States.js';

type By = 'channel' | 'source' | 'variant';
const BY = [
  { value: 'channel', label: 'Channel' },
  { value: 'source', label: 'Source' },
  { value: 'variant', label: 'Variant' },
] as const;

interface KeyRow {
  key: string;
  counts: FunnelRow;
  /** Revenue per currency: a group has one report row per currency, each with the same counts. */
  revenue: { amount: number; currency: string | null }[];
}

/**
 * The report's rows by key: counts from the first row of a key, revenue from each of its
 * currency rows (money is never added across currencies).
 *
 * @example byKey(rows) // [{ key: 'a', counts: {…}, revenue: [{ amount: 290600, currency: 'USD' }] }]
 */
export function byKey(rows: readonly FunnelRow[]): KeyRow[] {
  const keys = new Map<string, KeyRow>();
  for (const r of rows) {
    const row = keys.get(r.key) ?? { key: r.key, counts: r, revenue: [] };
    if (r.currency !== null) row.revenue.push({ amount: r.revenue, currency: r.currency });
    keys.set(r.key, row);
  }
  return [...keys.values()];
}

/**
 * The campaign's funnel broken down by channel, source (utm_source) or variant (the link's A/B
 * label): clicks, chats, qualified, conversions, revenue and the rates between them.
 */
export function Breakdown({ campaignId }: { campaignId: number }) {
  const [by, setBy] = useState<By>('channel');
  const report = useFunnel(campaignId, by);
  const label = BY.find((b) => b.value === by)?.label ?? by;
  return (
    <>
      <Segmented
        legend="Break down by"
        hideLegend
        name="breakdown"
        options={BY}
        value={by}
        onChange={setBy}
      />
      {report.error ? (
        <ErrorNote error={report.error} onRetry={report.reload} />
      ) : report.data === undefined || report.loading ? (
        <Loading what="Loading the breakdown" />
      ) : report.data === null || report.data.rows.length === 0 ? (
        <Empty>
          <p>No clicks, chats or conversions in this period.</p>
        </Empty>
      ) : (
        <table className="table responsive compact breakdown" data-testid={`breakdown-${by}`}>
          <thead>
            <tr>
              <th>{label}</th>
              <th className="num">Clicks</th>
              <th className="num">Chats</th>
              <th className="num">Click → chat</th>
              <th className="num">Qualified</th>
              <th className="num">Qualified / chat</th>
              <th className="num">Conversions</th>
              <th className="num">Conversion / chat</th>
              <th className="num">Revenue</th>
            </tr>
          </thead>
          <tbody>
            {byKey(report.data.rows).map(({ key, counts: r, revenue }) => (
              <tr key={key} data-testid={`breakdown-row-${key}`}>
                <td data-label={label} className="mono">
                  {key}
                </td>
                <td data-label="Clicks" className="num" data-testid="clicks">
                  {formatNumber(r.link_clicks)}
                </td>
                <td data-label="Chats" className="num" data-testid="chats">
                  {formatNumber(r.chats_started)}
                </td>
                <td data-label="Click → chat" className="num">
                  {formatPercent(r.click_to_message_rate)}
                </td>
                <td data-label="Qualified" className="num">
                  {formatNumber(r.qualified)}
                </td>
                <td data-label="Qualified / chat" className="num">
                  {formatPercent(r.qualification_rate)}
                </td>
                <td data-label="Conversions" className="num">
                  {formatNumber(r.conversions)}
                </td>
                <td data-label="Conversion / chat" className="num">
                  {formatPercent(r.conversion_rate)}
                </td>
                <td data-label="Revenue" className="num">
                  {revenue.length === 0
                    ? NONE
                    : revenue.map((m) => formatMoney(m.amount, m.currency)).join(' · ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
