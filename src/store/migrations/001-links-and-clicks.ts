import type { Kysely } from 'kysely';
import type { DialectInfo } from '../dialect.js';

/** API keys, campaigns and their changelog, links, clicks with hourly rollups, landing visits. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then, not as it is now
export async function up(db: Kysely<any>, d: DialectInfo): Promise<void> {
  const id = (name: string) =>
    db.schema.createTable(name).addColumn('id', d.serial, (c) => d.autoIncrement(c.primaryKey()));

  await id('api_keys')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull().unique())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .addColumn('revoked_at', d.bigint)
    .addColumn('last_used_at', d.bigint)
    .execute();

  await id('campaigns')
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('utm', 'text', (c) => c.notNull())
    .addColumn('budget_cap_amount', d.bigint)
    .addColumn('budget_cap_currency', 'text')
    .addColumn('starts_at', d.bigint)
    .addColumn('ends_at', d.bigint)
    .addColumn('rollback_criteria', 'text')
    .addColumn('notes', 'text')
    .addColumn('primary_conversion', 'text', (c) => c.notNull())
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .addColumn('updated_at', d.bigint, (c) => c.notNull())
    .execute();

  await id('campaign_changes')
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('actor_key_id', 'integer')
    .addColumn('at', d.bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('campaign_changes_campaign')
    .on('campaign_changes')
    .columns(['campaign_id', 'id'])
    .execute();

  await id('links')
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('campaign_id', 'integer', (c) => c.references('campaigns.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('utm', 'text', (c) => c.notNull())
    .addColumn('variant', 'text')
    .addColumn('expires_at', d.bigint)
    .addColumn('max_clicks', 'integer')
    .addColumn('archived_at', d.bigint)
    .addColumn('created_by', 'integer')
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .addColumn('updated_at', d.bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('links_campaign').on('links').columns(['campaign_id', 'id']).execute();

  // The hot table: an integer key assigned by the server (never a random key, DESIGN.md) and one
  // index for per-link export and stats.
  await db.schema
    .createTable('clicks')
    .addColumn('id', d.bigint, (c) => c.primaryKey())
    .addColumn('link_id', 'integer', (c) => c.notNull())
    .addColumn('at', d.bigint, (c) => c.notNull())
    .addColumn('visitor_hash', 'text', (c) => c.notNull())
    .addColumn('device', 'text', (c) => c.notNull())
    .addColumn('os', 'text')
    .addColumn('browser', 'text')
    .addColumn('referrer_host', 'text')
    .addColumn('qr', 'integer', (c) => c.notNull())
    .addColumn('bot', 'integer', (c) => c.notNull())
    .addColumn('bot_reason', 'text')
    .addColumn('country', 'text')
    .addColumn('ad_ids', 'text')
    .execute();
  await db.schema.createIndex('clicks_link').on('clicks').columns(['link_id', 'id']).execute();

  await db.schema
    .createTable('click_rollups')
    .addColumn('hour', d.bigint, (c) => c.notNull())
    .addColumn('link_id', 'integer', (c) => c.notNull())
    .addColumn('bot', 'integer', (c) => c.notNull())
    .addColumn('device', 'text', (c) => c.notNull())
    .addColumn('qr', 'integer', (c) => c.notNull())
    .addColumn('clicks', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('click_rollups_pk', ['link_id', 'hour', 'bot', 'device', 'qr'])
    .execute();

  await id('landing_visits')
    .addColumn('at', d.bigint, (c) => c.notNull())
    .addColumn('link_id', 'integer')
    .addColumn('click_id', d.bigint)
    .addColumn('visitor_hash', 'text')
    .addColumn('url', 'text')
    .addColumn('referrer_host', 'text')
    .addColumn('utm_source', 'text')
    .addColumn('utm_medium', 'text')
    .addColumn('utm_campaign', 'text')
    .addColumn('utm_term', 'text')
    .addColumn('utm_content', 'text')
    .execute();
  await db.schema.createIndex('landing_visits_at').on('landing_visits').column('at').execute();

  await db.schema
    .createTable('sequences')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('next_value', d.bigint, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('daily_salts')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('salt', 'text', (c) => c.notNull())
    .execute();
}
