import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { FunnelRow } from '../api/types.js';
import { formatDate, formatNumber } from '../format.js';
import { fillDays, shortDay } from './ClicksChart.js';

export interface ChatsByDay {
  day: string;
  chats: number;
}

/**
 * Chats started per UTC day from the funnel report grouped by day. A day has one row per
 * currency, each with the same counts, so a day is counted once.
 *
 * @example chatsByDay(report.rows) // [{ day: '2026-11-22', chats: 4 }, …]
 */
export function chatsByDay(rows: readonly FunnelRow[]): ChatsByDay[] {
  const days = new Map<string, ChatsByDay>();
  for (const r of rows) if (!days.has(r.key)) days.set(r.key, { day: r.key, chats: r.chats_started });
  return fillDays(days, (day) => ({ day, chats: 0 }));
}

/** Chats started per day (first chats per contact; re-entries are not new chats). */
export function ChatsChart({ data }: { data: readonly ChatsByDay[] }) {
  return (
    <div className="chart" role="img" aria-label="Chats started per day">
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
          <Bar dataKey="chats" name="Chats started" fill="#2563eb" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
