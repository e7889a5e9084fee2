import type { Kysely } from 'kysely';
import type { DialectInfo } from '../dialect.js';

/**
 * A `version` on links and campaigns, bumped by every update, so that caches on several servers
 * can tell an older copy from a newer one (`updated_at` cannot: two writes may share a
 * millisecond). And `link_click_counters`: the clicks reserved against a link's `max_clicks`,
 * one row per capped link, incremented atomically by the redirect when Redis is not there.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>, _d: DialectInfo): Promise<void> {
  await db.schema
    .alterTable('links')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('campaigns')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createTable('link_click_counters')
    .addColumn('link_id', 'integer', (c) => c.primaryKey())
    .addColumn('used', 'integer', (c) => c.notNull())
    .execute();
}
