import { type Selectable, sql } from 'kysely';
import { type Db, parseJson, toJson } from './db.js';
import type { ClickTable } from './schema.js';

export interface ClickRecord {
  /** The click number; the ref token and the exported click id are derived from it. */
  id: number;
  linkId: number;
  at: number;
  visitorHash: string;
  device: string;
  os: string | null;
  browser: string | null;
  referrerHost: string | null;
  qr: boolean;
  bot: boolean;
  botReason: string | null;
  country: string | null;
  adIds: Record<string, string> | null;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
const ROWS_PER_INSERT = 500;

/** A click as its table row. */
export function clickRow(c: ClickRecord) {
  return {
    id: c.id,
    link_id: c.linkId,
    at: c.at,
    visitor_hash: c.visitorHash,
    device: c.device,
    os: c.os,
    browser: c.browser,
    referrer_host: c.referrerHost,
    qr: c.qr ? 1 : 0,
    bot: c.bot ? 1 : 0,
    bot_reason: c.botReason,
    country: c.country,
    ad_ids: toJson(c.adIds),
  };
}

export type RollupRow = {
  link_id: number;
  hour: number;
  bot: number;
  device: string;
  qr: number;
  clicks: number;
};

/**
 * A batch summed per rollup key in memory, so each key gets one upsert per commit, in key order:
 * every transaction then locks the rollup rows it shares with another in the same order, so two
 * servers committing clicks of the same links cannot deadlock (DESIGN.md, scale-out).
 */
export function rollupRows(clicks: readonly ClickRecord[]): RollupRow[] {
  const rollups = new Map<string, RollupRow>();
  // A batch is mostly runs of one key (one link, one device type): a click matching the previous
  // click's row is counted without building its key.
  let last: RollupRow | undefined;
  for (const c of clicks) {
    const hour = c.at - (c.at % HOUR);
    if (
      last !== undefined &&
      last.link_id === c.linkId &&
      last.hour === hour &&
      last.bot === (c.bot ? 1 : 0) &&
      last.device === c.device &&
      last.qr === (c.qr ? 1 : 0)
    ) {
      last.clicks += 1;
      continue;
    }
    const key = `${c.linkId}|${hour}|${c.bot ? 1 : 0}|${c.device}|${c.qr ? 1 : 0}`;
    let row = rollups.get(key);
    if (row) row.clicks += 1;
    else {
      row = { link_id: c.linkId, hour, bot: c.bot ? 1 : 0, device: c.device, qr: c.qr ? 1 : 0, clicks: 1 };
      rollups.set(key, row);
    }
    last = row;
  }
  return [...rollups.values()].sort(
    (a, b) =>
      a.link_id - b.link_id ||
      a.hour - b.hour ||
      a.bot - b.bot ||
      (a.device < b.device ? -1 : a.device > b.device ? 1 : 0) ||
      a.qr - b.qr,
  );
}

export type DailyRollupRow = { link_id: number; day: number; bot: number; clicks: number };

/**
 * The hourly rollup rows summed per link, UTC day and bot flag (one or two upserts per commit):
 * derived from the hourly rows, so the batch of clicks is walked once. In key order, as the
 * hourly ones.
 */
export function dailyRollupRows(hourly: readonly RollupRow[]): DailyRollupRow[] {
  const rollups = new Map<string, DailyRollupRow>();
  for (const h of hourly) {
    const day = h.hour - (h.hour % DAY);
    const key = `${h.link_id}|${day}|${h.bot}`;
    const row = rollups.get(key);
    if (row) row.clicks += h.clicks;
    else rollups.set(key, { link_id: h.link_id, day, bot: h.bot, clicks: h.clicks });
  }
  return [...rollups.values()].sort((a, b) => a.link_id - b.link_id || a.day - b.day || a.bot - b.bot);
}

export function upsertDailyRollupsQuery(db: Db, rows: DailyRollupRow[]) {
  return db
    .insertInto('click_rollups_daily')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['link_id', 'day', 'bot'])
        .doUpdateSet({ clicks: sql<number>`click_rollups_daily.clicks + excluded.clicks` }),
    );
}

export function insertClicksQuery(db: Db, rows: ReturnType<typeof clickRow>[]) {
  return db.insertInto('clicks').values(rows);
}

export function upsertRollupsQuery(db: Db, rows: RollupRow[]) {
  return db
    .insertInto('click_rollups')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['link_id', 'hour', 'bot', 'device', 'qr'])
        .doUpdateSet({ clicks: sql<number>`click_rollups.clicks + excluded.clicks` }),
    );
}

/**
 * Writes a batch of clicks and adds them to the hourly rollups (DESIGN.md: "one upsert per rollup
 * key per commit"). Run it inside a transaction so the clicks and their rollups commit together.
 * The SQLite adapter runs the same two statements as prepared statements (store/dialects/sqlite.ts).
 */
export async function insertClicks(db: Db, clicks: readonly ClickRecord[]): Promise<void> {
  if (clicks.length === 0) return;
  for (let i = 0; i < clicks.length; i += ROWS_PER_INSERT) {
    await insertClicksQuery(db, clicks.slice(i, i + ROWS_PER_INSERT).map(clickRow)).execute();
  }
  const rows = rollupRows(clicks);
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await upsertRollupsQuery(db, rows.slice(i, i + ROWS_PER_INSERT)).execute();
  }
  const daily = dailyRollupRows(rows);
  for (let i = 0; i < daily.length; i += ROWS_PER_INSERT) {
    await upsertDailyRollupsQuery(db, daily.slice(i, i + ROWS_PER_INSERT)).execute();
  }
}

/**
 * Human clicks per link in [from, to), per UTC day when `byDay` (else `day` is 0): whole days
 * from the daily rollups, the hours of a partial first or last day from the hourly ones (so
 * `from` and `to` are taken to whole hours, as in the link stats).
 */
export async function humanClicksByLink(
  db: Db,
  range: { from: number; to: number; linkIds?: readonly number[] | undefined; byDay: boolean },
): Promise<{ linkId: number; day: number; clicks: number }[]> {
  const fromHour = range.from - (range.from % HOUR);
  const firstDay = Math.ceil(fromHour / DAY) * DAY;
  const lastDay = range.to - (range.to % DAY);
  const out: { linkId: number; day: number; clicks: number }[] = [];
  const dayOf = (column: 'hour' | 'day') =>
    sql<number>`${sql.ref(column)} - (${sql.ref(column)} % ${sql.lit(DAY)})`;
  const read = async (table: 'click_rollups' | 'click_rollups_daily', from: number, to: number) => {
    if (from >= to) return;
    const column = table === 'click_rollups' ? 'hour' : 'day';
    let query = db
      .selectFrom(table)
      .select('link_id')
      .select(range.byDay ? dayOf(column).as('day') : sql<number>`0`.as('day'))
      .select((eb) => eb.fn.sum<number>('clicks').as('n'))
      .where('bot', '=', 0)
      .where(column, '>=', from)
      .where(column, '<', to)
      .groupBy(range.byDay ? ['link_id', dayOf(column)] : ['link_id']);
    if (range.linkIds) query = query.where('link_id', 'in', [...range.linkIds, -1]);
    for (const row of await query.execute())
      out.push({ linkId: row.link_id, day: Number(row.day), clicks: Number(row.n) });
  };
  if (firstDay >= lastDay) {
    await read('click_rollups', fromHour, range.to);
  } else {
    await read('click_rollups', fromHour, firstDay);
    await read('click_rollups_daily', firstDay, lastDay);
    await read('click_rollups', lastDay, range.to);
  }
  return out;
}

/** A click with its link and the link's campaign (null when the link has none, or is gone). */
export interface ClickOrigin {
  id: number;
  linkId: number;
  campaignId: number | null;
  at: number;
}

/** The links and campaigns these clicks came from (one query; missing clicks are left out). */
export async function clickOrigins(db: Db, ids: readonly number[]): Promise<ClickOrigin[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('clicks')
    .leftJoin('links', 'links.id', 'clicks.link_id')
    .select(['clicks.id', 'clicks.link_id', 'clicks.at', 'links.campaign_id'])
    .where('clicks.id', 'in', ids)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    linkId: r.link_id,
    campaignId: r.campaign_id ?? null,
    at: Number(r.at),
  }));
}

export async function getClick(db: Db, id: number): Promise<ClickRecord | undefined> {
  const row = await db.selectFrom('clicks').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

/** Clicks in key order after `cursor` (exclusive), for export. */
export async function listClicks(
  db: Db,
  filter: { linkId?: number | undefined; after?: number | undefined; limit: number },
): Promise<ClickRecord[]> {
  let query = db.selectFrom('clicks').selectAll().orderBy('id').limit(filter.limit);
  if (filter.linkId !== undefined) query = query.where('link_id', '=', filter.linkId);
  if (filter.after !== undefined) query = query.where('id', '>', filter.after);
  return (await query.execute()).map(toRecord);
}

/** Human clicks of a link so far, read from the rollups (used for `maxClicks`). */
export async function countHumanClicks(db: Db, linkId: number): Promise<number> {
  const row = await db
    .selectFrom('click_rollups_daily')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('clicks'), sql<number>`0`).as('n'))
    .where('link_id', '=', linkId)
    .where('bot', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface ClickStats {
  clicks: number;
  humanClicks: number;
  botClicks: number;
  uniqueVisitors: number;
  qrScans: number;
  byDay: { day: string; clicks: number; humanClicks: number }[];
  byDevice: Record<string, number>;
  byBrowser: Record<string, number>;
  byReferrer: Record<string, number>;
}

/**
 * A link's statistics for [from, to). Counts come from the hourly rollups (so `from`/`to` are
 * taken to whole hours); distinct visitors, browsers and referrers need the raw clicks. The
 * breakdowns count human clicks only.
 */
export async function clickStats(db: Db, linkId: number, from: number, to: number): Promise<ClickStats> {
  const fromHour = from - (from % HOUR);
  const rollups = await db
    .selectFrom('click_rollups')
    .select(['hour', 'bot', 'device', 'qr', 'clicks'])
    .where('link_id', '=', linkId)
    .where('hour', '>=', fromHour)
    .where('hour', '<', to)
    .execute();
  const stats: ClickStats = {
    clicks: 0,
    humanClicks: 0,
    botClicks: 0,
    uniqueVisitors: 0,
    qrScans: 0,
    byDay: [],
    byDevice: {},
    byBrowser: {},
    byReferrer: {},
  };
  const days = new Map<string, { day: string; clicks: number; humanClicks: number }>();
  for (const r of rollups) {
    const n = Number(r.clicks);
    stats.clicks += n;
    const day = new Date(r.hour - (r.hour % DAY)).toISOString().slice(0, 10);
    const entry = days.get(day) ?? { day, clicks: 0, humanClicks: 0 };
    entry.clicks += n;
    days.set(day, entry);
    if (r.bot) {
      stats.botClicks += n;
      continue;
    }
    stats.humanClicks += n;
    entry.humanClicks += n;
    if (r.qr) stats.qrScans += n;
    stats.byDevice[r.device] = (stats.byDevice[r.device] ?? 0) + n;
  }
  stats.byDay = [...days.values()].sort((a, b) => a.day.localeCompare(b.day));

  const human = db
    .selectFrom('clicks')
    .where('link_id', '=', linkId)
    .where('at', '>=', fromHour)
    .where('at', '<', to)
    .where('bot', '=', 0);
  const unique = await human
    .select((eb) => eb.fn.count<number>('visitor_hash').distinct().as('n'))
    .executeTakeFirstOrThrow();
  stats.uniqueVisitors = Number(unique.n);
  for (const [column, target] of [
    ['browser', stats.byBrowser],
    ['referrer_host', stats.byReferrer],
  ] as const) {
    const rows = await human
      .select([column, (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(column)
      .execute();
    for (const row of rows) target[(row[column] as string | null) ?? '(none)'] = Number(row.n);
  }
  return stats;
}

function toRecord(row: Selectable<ClickTable>): ClickRecord {
  return {
    id: row.id,
    linkId: row.link_id,
    at: row.at,
    visitorHash: row.visitor_hash,
    device: row.device,
    os: row.os,
    browser: row.browser,
    referrerHost: row.referrer_host,
    qr: row.qr === 1,
    bot: row.bot === 1,
    botReason: row.bot_reason,
    country: row.country,
    adIds: parseJson<Record<string, string>>(row.ad_ids),
  };
}
