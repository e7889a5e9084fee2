import { type FetchState, useFunnel } from '../api/hooks.js';
import type { FunnelReport, FunnelRow } from '../../../src/http/contract/reports.js';
import { formatDate, formatMoney, formatNumber, formatPercent } from '../format.js';
import { FunnelChart } from './FunnelChart.js';
import { FunnelRates } from './FunnelRates.js';
import { Empty, ErrorNote, Loading } from './States.js';
import { Tile } from './Tile.js';

const MODEL_TEXT: Readonly<Record<string, string>> = {
  last_touch: 'last touch',
  first_touch: 'first touch',
  linear: 'linear',
  time_decay: 'time decay',
  position_based: 'position based',
  billboard: 'billboard',
};

/** The attribution windows in words: " (click 30d, chat_started 30d)". */
const windows = (w: Readonly<Record<string, string>>) =>
  Object.keys(w).length === 0
    ? ''
    : ` (${Object.entries(w)
        .map(([touch, size]) => `${touch} ${size}`)
        .join(', ')})`;

/**
 * A report's model and windows in words.
 *
 * @example attributionText(report.parameters) // 'last touch attribution (click 30d, chat_started 30d)'
 */
export const attributionText = (p: FunnelReport['parameters']) =>
  `${MODEL_TEXT[p.model] ?? p.model} attribution${windows(p.windows)}`;

/** How the numbers were made, so they can be reproduced (the report echoes its parameters). */
function Parameters({ report }: { report: FunnelReport }) {
  const p = report.parameters;
  return (
    <p className="hint">
      {formatDate(p.from)} – {formatDate(p.to)} · {attributionText(p)} · conversion:{' '}
      <code>{p.conversion}</code>
      {report.unattributed > 0 &&
        ` · ${formatNumber(report.unattributed)} unattributed conversions elsewhere`}
    </p>
  );
}

/** The money tiles of each currency, in order: the field, its label, what it means. */
const MONEY_TILES: readonly {
  field: 'spend' | 'revenue' | 'cpa' | 'cost_per_qualified_lead' | 'roi' | 'cpm';
  label: string;
  hint?: string;
  percent?: boolean;
}[] = [
  { field: 'spend', label: 'Spend' },
  { field: 'revenue', label: 'Revenue', hint: 'purchases net of refunds' },
  { field: 'cpa', label: 'CPA', hint: 'spend per conversion' },
  { field: 'cost_per_qualified_lead', label: 'Cost per qualified lead', hint: 'spend per qualified lead' },
  { field: 'roi', label: 'ROI', hint: '(revenue − spend) / spend', percent: true },
  { field: 'cpm', label: 'CPM', hint: `per ${formatNumber(1000)} impressions` },
];

/**
 * Counts (the same in every currency row of a group) and money (one set per currency). Each tile
 * carries its unformatted number in `data-value`; money tiles are named `<kpi>-<currency>`.
 */
function Tiles({ rows, window }: { rows: readonly FunnelRow[]; window: string | undefined }) {
  const first = rows[0];
  if (!first) return null;
  const several = rows.length > 1;
  return (
    <>
      <div className="tiles">
        {first.reach !== null && <Tile label="Reach" value={formatNumber(first.reach)} />}
        <Tile label="Link clicks" value={formatNumber(first.link_clicks)} hint="humans only" />
        <Tile
          label="Chats started"
          value={formatNumber(first.chats_started)}
          hint={`${formatPercent(first.click_to_message_rate)} of clicks`}
        />
        <Tile
          label="Qualified"
          value={formatNumber(first.qualified)}
          hint={`${formatPercent(first.qualification_rate)} of chats`}
        />
        <Tile
          label="Conversions"
          value={formatNumber(first.conversions)}
          hint={`${formatNumber(first.immediate)} immediate, ${formatNumber(first.assisted)} assisted${window ? ` within ${window}` : ''}`}
          testId="conversions"
          raw={first.conversions}
        />
      </div>
      {rows
        .filter((r) => r.currency !== null)
        .map((r) => (
          <div className="tiles money" key={r.currency}>
            {MONEY_TILES.map(({ field, label, hint, percent }) => (
              <Tile
                key={field}
                label={
                  several && (field === 'spend' || field === 'revenue') ? `${label} (${r.currency})` : label
                }
                value={percent ? formatPercent(r[field]) : formatMoney(r[field], r.currency)}
                hint={hint}
                testId={`${field}-${r.currency}`}
                raw={r[field]}
              />
            ))}
          </div>
        ))}
    </>
  );
}

function DayTable({ rows }: { rows: readonly FunnelRow[] }) {
  return (
    <table className="table responsive compact">
      <thead>
        <tr>
          <th>Day</th>
          <th className="num">Clicks</th>
          <th className="num">Chats</th>
          <th className="num">Qualified</th>
          <th className="num">Conversions</th>
          <th className="num">Revenue</th>
          <th className="num">Spend</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.key}|${r.currency ?? ''}`}>
            <td data-label="Day">{formatDate(r.key)}</td>
            <td data-label="Clicks" className="num">
              {formatNumber(r.link_clicks)}
            </td>
            <td data-label="Chats" className="num">
              {formatNumber(r.chats_started)}
            </td>
            <td data-label="Qualified" className="num">
              {formatNumber(r.qualified)}
            </td>
            <td data-label="Conversions" className="num">
              {formatNumber(r.conversions)}
            </td>
            <td data-label="Revenue" className="num">
              {formatMoney(r.currency === null ? null : r.revenue, r.currency)}
            </td>
            <td data-label="Spend" className="num">
              {formatMoney(r.spend, r.currency)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The campaign's funnel (GET /api/reports/funnel): KPI tiles and a funnel chart for the whole
 * campaign, and the same counts per day (`byDay`: the page loads it once for this panel and the
 * chats chart). Says so in words while the server has no such report.
 */
export function FunnelPanel({
  campaignId,
  byDay,
}: {
  campaignId: number;
  byDay: FetchState<FunnelReport | null>;
}) {
  const total = useFunnel(campaignId, 'campaign');

  if (total.error) return <ErrorNote error={total.error} onRetry={total.reload} />;
  if (total.data === undefined) return <Loading what="Loading the funnel" />;
  if (total.data === null) {
    return (
      <Empty>
        <p>
          Chats, qualified leads, conversions, revenue, CPA and ROI are coming with the funnel report: this
          server does not have it yet.
        </p>
      </Empty>
    );
  }
  const first = total.data.rows[0];
  return (
    <>
      <Parameters report={total.data} />
      {!first ? (
        <Empty>
          <p>No clicks, chats or conversions in this period.</p>
        </Empty>
      ) : (
        <>
          <Tiles rows={total.data.rows} window={total.data.parameters.windows.click} />
          <FunnelChart row={first} />
          <h3>Rates</h3>
          <FunnelRates row={first} conversion={total.data.parameters.conversion} />
        </>
      )}
      {byDay.error && <ErrorNote error={byDay.error} onRetry={byDay.reload} />}
      {byDay.data && byDay.data.rows.length > 0 && (
        <details className="day-rows">
          <summary>Per day</summary>
          <DayTable rows={byDay.data.rows} />
        </details>
      )}
    </>
  );
}
