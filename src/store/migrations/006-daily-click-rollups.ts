import { type Kysely, sql } from 'kysely';
import type { DialectInfo } from '../dialect.js';

/**
 * Clicks per UTC day × link × bot flag, written in the same commit as the clicks and their hourly
 * rollups: a campaign's month in the funnel is ~30 rows a link instead of ~700 hours × devices.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>, d: DialectInfo): Promise<void> {
  let table = db.schema
    .createTable('click_rollups_daily')
    .addColumn('day', d.bigint, (c) => c.notNull())
    .addColumn('link_id', 'integer', (c) => c.notNull())
    .addColumn('bot', 'integer', (c) => c.notNull())
    .addColumn('clicks', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('click_rollups_daily_pk', ['link_id', 'day', 'bot']);
  if (d.clusteredTables) table = table.modifyEnd(sql`without rowid`);
  await table.execute();
  await sql`insert into click_rollups_daily (day, link_id, bot, clicks)
    select hour - (hour % 86400000), link_id, bot, sum(clicks) from click_rollups
    group by hour - (hour % 86400000), link_id, bot`.execute(db);
}
