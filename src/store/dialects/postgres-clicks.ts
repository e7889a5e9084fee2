import type pg from 'pg';
import type { ClickRecord } from '../clicks.repository.js';
import { retryConflicts } from '../retry.js';

/**
 * A batch of clicks and its rollups in one statement, so one round trip and one transaction: the
 * clicks arrive as one array per column (`unnest`), the rows actually inserted come back from the
 * first CTE, and only those are summed into the hourly and daily rollups. A click id the store
 * already holds is skipped, so the same statement replays the journal's spill exactly once.
 * Rollup rows are upserted in key order (`order by`), so concurrent batches of several servers
 * lock shared rows in one order and cannot deadlock.
 */
const WRITE_CLICKS = `
with c as (
  insert into clicks (id, link_id, at, visitor_hash, device, os, browser, referrer_host, qr, bot, bot_reason, country, ad_ids)
  select * from unnest($1::bigint[], $2::integer[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[],
                       $8::text[], $9::integer[], $10::integer[], $11::text[], $12::text[], $13::text[])
  on conflict (id) do nothing
  returning link_id, at, bot, device, qr
), hourly as (
  insert into click_rollups (link_id, hour, bot, device, qr, clicks)
  select link_id, at - at % 3600000, bot, device, qr, count(*) from c
  group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
  on conflict (link_id, hour, bot, device, qr) do update set clicks = click_rollups.clicks + excluded.clicks
), daily as (
  insert into click_rollups_daily (link_id, day, bot, clicks)
  select link_id, at - at % 86400000, bot, count(*) from c
  group by 1, 2, 3 order by 1, 2, 3
  on conflict (link_id, day, bot) do update set clicks = click_rollups_daily.clicks + excluded.clicks
)
select count(*)::integer as n from c`;

/** The statement's parameters: one array per click column. */
export function clickColumns(batch: readonly ClickRecord[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 13 }, () => new Array<unknown>(batch.length));
  for (let i = 0; i < batch.length; i += 1) {
    const c = batch[i] as ClickRecord;
    (columns[0] as unknown[])[i] = c.id;
    (columns[1] as unknown[])[i] = c.linkId;
    (columns[2] as unknown[])[i] = c.at;
    (columns[3] as unknown[])[i] = c.visitorHash;
    (columns[4] as unknown[])[i] = c.device;
    (columns[5] as unknown[])[i] = c.os;
    (columns[6] as unknown[])[i] = c.browser;
    (columns[7] as unknown[])[i] = c.referrerHost;
    (columns[8] as unknown[])[i] = c.qr ? 1 : 0;
    (columns[9] as unknown[])[i] = c.bot ? 1 : 0;
    (columns[10] as unknown[])[i] = c.botReason;
    (columns[11] as unknown[])[i] = c.country;
    (columns[12] as unknown[])[i] = c.adIds === null ? null : JSON.stringify(c.adIds);
  }
  return columns;
}

/**
 * Writes a batch (the journal's commit, and the spill's replay); resolves with the clicks
 * inserted. A deadlock or serialization failure is retried.
 */
export function writeClicksPostgres(pool: pg.Pool, batch: readonly ClickRecord[]): Promise<number> {
  if (batch.length === 0) return Promise.resolve(0);
  const values = clickColumns(batch);
  return retryConflicts(async () => {
    const result = await pool.query<{ n: number }>({
      text: WRITE_CLICKS,
      values,
      name: 'chatmark_write_clicks',
    });
    return result.rows[0]?.n ?? 0;
  });
}
