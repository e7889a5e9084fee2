import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useAttribution } from '../api/hooks.js';
import { ATTRIBUTION_MODELS as ALL_MODELS } from '../../../src/domain/attribution/types.js';
import type { AttributionModel, AttributionReport } from '../../../src/http/contract/reports.js';
import { Empty, ErrorNote, Loading } from '../components/States.js';
import { formatDate, formatNumber } from '../format.js';

/** The models set side by side; billboard (credit for sends, without a click) is not among them. */
type ShownModel = Exclude<AttributionModel, 'billboard'>;
const ATTRIBUTION_MODELS = ALL_MODELS.filter((m): m is ShownModel => m !== 'billboard');

const MODEL_TEXT: Readonly<Record<ShownModel, string>> = {
  last_touch: 'Last touch',
  first_touch: 'First touch',
  linear: 'Linear',
  time_decay: 'Time decay',
  position_based: 'Position based',
};

const MODEL_COLOR: Readonly<Record<ShownModel, string>> = {
  last_touch: '#0f766e',
  first_touch: '#2563eb',
  linear: '#d97706',
  time_decay: '#7c3aed',
  position_based: '#db2777',
};

const WINDOWS = ['7d', '30d', '90d'] as const;
const DAY = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Credits are fractions: always two decimals, so 0.50 and 0.33 line up in a column. */
const credit = (n: number | undefined) =>
  n === undefined
    ? '0.00'
    : n.toLocaleString(navigator.language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** One key (campaign slug or channel) across the models, for the table and the chart. */
interface KeyRow {
  key: string;
  claimed: number;
  immediate: number;
  assisted: number;
  credited: Partial<Record<ShownModel, number>>;
}

/**
 * Sets the per-model reports side by side by key. Claimed, immediate and assisted come from the
 * last-touch report (claimed is the same under every model; immediate and assisted are last-touch
 * notions), so last_touch is always fetched even when its column is hidden.
 *
 * @example sideBySide(['last_touch', 'linear'], [lastTouch, linear])[0] // { key: 'spring', claimed: 3, credited: { last_touch: 2, linear: 1.5 }, … }
 */
export function sideBySide(models: readonly ShownModel[], reports: readonly AttributionReport[]): KeyRow[] {
  const rows = new Map<string, KeyRow>();
  const lastTouch = reports[models.indexOf('last_touch')];
  for (const [i, report] of reports.entries()) {
    const model = models[i];
    if (model === undefined) continue;
    for (const r of report.rows) {
      const row = rows.get(r.key) ?? {
        key: r.key,
        claimed: r.claimed,
        immediate: 0,
        assisted: 0,
        credited: {},
      };
      row.credited[model] = r.credited;
      if (report === lastTouch) {
        row.claimed = r.claimed;
        row.immediate = r.immediate;
        row.assisted = r.assisted;
      }
      rows.set(r.key, row);
    }
  }
  return [...rows.values()].sort((a, b) => b.claimed - a.claimed || a.key.localeCompare(b.key));
}

/**
 * Attribution (GET /api/reports/attribution, once per model): credited per model next to
 * claimed per campaign or channel, so over-attribution is visible at a glance.
 */
export function AttributionPage() {
  const today = isoDay(Date.now());
  const [groupBy, setGroupBy] = useState<'campaign' | 'channel'>('campaign');
  const [from, setFrom] = useState(isoDay(Date.now() - 30 * DAY));
  const [to, setTo] = useState(today);
  const [windowSize, setWindowSize] = useState<string>('30d');
  const [shown, setShown] = useState<readonly ShownModel[]>(['last_touch', 'first_touch', 'linear']);

  const models = useMemo(
    () => ATTRIBUTION_MODELS.filter((m) => m === 'last_touch' || shown.includes(m)),
    [shown],
  );
  const reports = useAttribution({ groupBy, from, to, window: windowSize }, models);
  const columns = ATTRIBUTION_MODELS.filter((m) => shown.includes(m));
  const toggle = (model: ShownModel, on: boolean) =>
    setShown((old) => (on ? [...old, model] : old.filter((m) => m !== model)));

  return (
    <div className="page">
      <div className="page-head">
        <h1>Attribution</h1>
      </div>
      <div className="toolbar">
        <label>
          Group by{' '}
          <select
            aria-label="Group by"
            value={groupBy}
            onChange={(e) => setGroupBy(e.target.value === 'channel' ? 'channel' : 'campaign')}
          >
            <option value="campaign">Campaign</option>
            <option value="channel">Channel</option>
          </select>
        </label>
        <label>
          From{' '}
          <input
            type="date"
            aria-label="From"
            value={from}
            max={to}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
        <label>
          To{' '}
          <input type="date" aria-label="To" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label>
          Window{' '}
          <select aria-label="Window" value={windowSize} onChange={(e) => setWindowSize(e.target.value)}>
            {WINDOWS.map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="toolbar">
        <legend className="sr-only">Models</legend>
        {ATTRIBUTION_MODELS.map((m) => (
          <label className="check" key={m}>
            <input
              type="checkbox"
              checked={shown.includes(m)}
              onChange={(e) => toggle(m, e.target.checked)}
            />
            {MODEL_TEXT[m]}
          </label>
        ))}
      </fieldset>

      {from === '' || to === '' || from > to ? (
        <Empty>
          <p>Pick a start date on or before the end date.</p>
        </Empty>
      ) : reports.error ? (
        <ErrorNote error={reports.error} onRetry={reports.reload} />
      ) : !reports.data || reports.loading ? (
        <Loading what="Loading attribution" />
      ) : (
        <Report
          models={models}
          columns={columns}
          reports={reports.data}
          groupBy={groupBy}
          from={from}
          to={to}
        />
      )}
    </div>
  );
}

function Report({
  models,
  columns,
  reports,
  groupBy,
  from,
  to,
}: {
  from: string;
  to: string;
  models: readonly ShownModel[];
  columns: readonly ShownModel[];
  reports: readonly AttributionReport[];
  groupBy: 'campaign' | 'channel';
}) {
  const rows = useMemo(() => sideBySide(models, reports), [models, reports]);
  const byModel = (m: ShownModel) => reports[models.indexOf(m)];
  const first = reports[0];
  if (!first) return null;
  const p = first.parameters;
  const keyLabel = groupBy === 'campaign' ? 'Campaign' : 'Channel';
  return (
    <>
      <p className="hint">
        {/* The server echoes `to` as the exclusive end instant; the chosen inclusive days read better. */}
        {formatDate(from)} – {formatDate(to)} · conversion: <code>{first.conversion}</code> · windows:{' '}
        {Object.entries(p.windows)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}{' '}
        · {formatNumber(first.conversions)} conversions, {formatNumber(first.unattributed.count)} unattributed
      </p>
      {rows.length === 0 ? (
        <Empty>
          <p>No attributed conversions in this period.</p>
        </Empty>
      ) : (
        <>
          <section className="card">
            <table className="table responsive compact">
              <caption className="hint">
                claimed: conversions in which the key has a touch; credited under a model never adds up to
                more than the conversions. Immediate and assisted are under last touch.
              </caption>
              <thead>
                <tr>
                  <th>{keyLabel}</th>
                  {columns.map((m) => (
                    <th key={m} className="num">
                      {MODEL_TEXT[m]}
                    </th>
                  ))}
                  <th className="num">Claimed</th>
                  <th className="num">Immediate</th>
                  <th className="num">Assisted</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.key}>
                    <td data-label={keyLabel} className="mono">
                      {r.key}
                    </td>
                    {columns.map((m) => (
                      <td
                        key={m}
                        data-label={MODEL_TEXT[m]}
                        className="num"
                        data-testid={`credited-${m}-${r.key}`}
                      >
                        {credit(r.credited[m])}
                      </td>
                    ))}
                    <td data-label="Claimed" className="num" data-testid={`claimed-${r.key}`}>
                      {formatNumber(r.claimed)}
                    </td>
                    <td data-label="Immediate" className="num">
                      {formatNumber(r.immediate)}
                    </td>
                    <td data-label="Assisted" className="num">
                      {formatNumber(r.assisted)}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Unattributed</th>
                  {columns.map((m) => (
                    <td key={m} data-label={MODEL_TEXT[m]} className="num" data-testid={`unattributed-${m}`}>
                      {formatNumber(byModel(m)?.unattributed.count)}
                    </td>
                  ))}
                  <td colSpan={3} />
                </tr>
                <tr>
                  <th scope="row">Conversions</th>
                  {columns.map((m) => (
                    <td key={m} data-label={MODEL_TEXT[m]} className="num" data-testid={`conversions-${m}`}>
                      {formatNumber(byModel(m)?.conversions)}
                    </td>
                  ))}
                  <td colSpan={3} />
                </tr>
              </tfoot>
            </table>
          </section>
          <section className="card">
            <h2>Credited per model vs claimed</h2>
            <AttributionChart rows={rows} columns={columns} />
          </section>
        </>
      )}
    </>
  );
}

function AttributionChart({ rows, columns }: { rows: readonly KeyRow[]; columns: readonly ShownModel[] }) {
  const data = rows.map((r) => ({ key: r.key, claimed: r.claimed, ...r.credited }));
  return (
    <div
      className="chart"
      role="img"
      aria-label="Credited conversions per model and claimed conversions per key"
    >
      <ResponsiveContainer width="100%" height={300}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="key" fontSize={12} />
          <YAxis fontSize={12} tickFormatter={(v: number) => formatNumber(v)} />
          <Tooltip formatter={(value) => formatNumber(Number(value))} isAnimationActive={false} />
          <Legend />
          {columns.map((m) => (
            <Bar
              key={m}
              dataKey={m}
              name={`${MODEL_TEXT[m]} (credited)`}
              fill={MODEL_COLOR[m]}
              isAnimationActive={false}
            />
          ))}
          <Bar dataKey="claimed" name="Claimed" fill="#94a3b8" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
