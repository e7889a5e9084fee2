import type { FunnelRow } from '../../../src/http/contract/reports.js';
import { DayBarChart, fillDays } from './ClicksChart.js';

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
    <DayBarChart
      data={data}
      label="Chats started per day"
      bars={[{ dataKey: 'chats', name: 'Chats started', fill: '#2563eb' }]}
    />
  );
}
