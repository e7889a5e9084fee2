import { type Kysely, sql } from 'kysely';
import type { DialectInfo } from '../dialect.js';
import { rebuildEventTouches } from '../touches.repository.js';

/**
 * `event_touches`: every event with the touches of its contact that can take credit for it (its
 * own click and discount code, the contact's clicks, chat starts and exposures in the 90 days
 * before it), kept up to date as events and exposures arrive, and filed under each campaign it
 * touches (and under 0 for all). A report reads a campaign's conversions with their touches as one
 * key range instead of walking each contact the campaign reached; covering indexes on `events`
 * let the funnel count chat starts and qualified leads without reading the table.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>, d: DialectInfo): Promise<void> {
  let table = db.schema
    .createTable('event_touches')
    .addColumn('filed_under', 'integer', (c) => c.notNull())
    .addColumn('event_id', 'integer', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('event_at', d.bigint, (c) => c.notNull())
    .addColumn('contact_id', 'integer')
    .addColumn('amount', d.bigint)
    .addColumn('currency', 'text')
    .addColumn('touch_kind', 'text', (c) => c.notNull())
    .addColumn('touch_id', d.bigint, (c) => c.notNull())
    .addColumn('touch_at', d.bigint, (c) => c.notNull())
    .addColumn('link_id', 'integer')
    .addColumn('campaign_id', 'integer')
    .addColumn('channel', 'text')
    .addPrimaryKeyConstraint('event_touches_pk', [
      'filed_under',
      'event_type',
      'event_at',
      'event_id',
      'touch_kind',
      'touch_id',
    ]);
  // Stored in primary-key order where the engine can: a campaign's conversions are one range.
  if (d.clusteredTables) table = table.modifyEnd(sql`without rowid`);
  await table.execute();
  // Rewrites go by event (store/touches.repository.ts): the one secondary index.
  await db.schema.createIndex('event_touches_event').on('event_touches').column('event_id').execute();

  // The funnel's direct counts and the reports' conversions, read from the index alone.
  await db.schema.dropIndex('events_campaign').execute();
  await db.schema
    .createIndex('events_campaign')
    .on('events')
    .columns(['campaign_id', 'type', 'occurred_at', 'link_id', 'reentry'])
    .execute();
  await db.schema
    .createIndex('events_type')
    .on('events')
    .columns(['type', 'occurred_at', 'campaign_id', 'link_id', 'reentry'])
    .execute();

  await rebuildEventTouches(db);
}
