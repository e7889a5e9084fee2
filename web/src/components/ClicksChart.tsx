import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LinkStats } from '../../../src/http/contract/links.js';
import { formatDate, formatNumber } from '../format.js';

export interface ClicksByDay {
  day: string;
  humans: number;
  bots: number;
}

/**
 * Sums several links' clicks per UTC day, humans and bots apart, filling days without clicks
 * with zeros so the chart's time axis has no gaps.
 *
 * @example clicksByDay([stats]) // [{ day: '2026-11-22', humans: 3, bots: 1 }, …]
 */
export function clicksByDay(stats: readonly LinkStats[]): ClicksByDay[] {
  const days = new Map<string, ClicksByDay>();
  for (const s of stats) {
    for (const d of s.byDay) {
      const entry = days.get(d.day) ?? { day: d.day, humans: 0, bots: 0 };
      entry.humans += d.humanClicks;
      entry.bots += d.clicks - d.humanClicks;
      days.set(d.day, entry);
    }
  }
  return fillDays(days, (day) => ({ day, humans: 0, bots: 0 }));
}

/**
 * The entries of `days` (keyed by UTC day, `2026-11-22`) from the first day to the last in order,
 * with `empty(day)` for the days in between that have none, so a time axis has no gaps.
 */
export function fillDays<T>(days: ReadonlyMap<string, T>, empty: (day: string) => T): T[] {
  const sorted = [...days.keys()].sort();
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined) return [];
  const out: T[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push(days.get(day) ?? empty(day));
  }
  return out;
}

/** A UTC day as a short axis label: `Nov 22` in en-US. */
export const shortDay = (day: string) =>
  new Intl.DateTimeFormat(navigator.language, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );

/** One series of a per-day bar chart. */
export interface DayBars {
  dataKey: string;
  name: string;
  fill: string;
  /** Bars with the same stack id pile up. */
  stackId?: string;
}

/**
 * Counts per UTC day as bars (one series, or several stacked with a legend): the layout, axes and
 * tooltip every per-day chart of the dashboard shares.
 */
export function DayBarChart({
  data,
  label,
  bars,
}: {
  data: readonly { day: string }[];
  label: string;
  bars: readonly DayBars[];
}) {
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={[...data]} maxBarSize={48} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} fontSize={12} minTickGap={16} />
          <YAxis allowDecimals={false} fontSize={12} tickFormatter={(v: number) => formatNumber(v)} />
          <Tooltip
            labelFormatter={(label) => formatDate(String(label))}
            formatter={(value) => formatNumber(Number(value))}
            isAnimationActive={false}
          />
          {bars.length > 1 && <Legend />}
          {bars.map((bar) => (
            <Bar key={bar.dataKey} {...bar} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Clicks per day as stacked bars: people, and the bots and link-preview fetchers set apart. */
export function ClicksChart({ data }: { data: readonly ClicksByDay[] }) {
  return (
    <DayBarChart
      data={data}
      label="Clicks per day, humans and bots"
      bars={[
        { dataKey: 'humans', name: 'Human clicks', stackId: 'clicks', fill: '#0f766e' },
        { dataKey: 'bots', name: 'Bots and previews', stackId: 'clicks', fill: '#94a3b8' },
      ]}
    />
  );
}
