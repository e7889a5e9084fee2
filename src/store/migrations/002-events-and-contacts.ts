import type { Kysely } from 'kysely';
import type { DialectInfo } from '../dialect.js';

/** Contacts and their identities, events (chat starts, conversions), discount codes, exposures, costs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>, d: DialectInfo): Promise<void> {
  const id = (name: string) =>
    db.schema.createTable(name).addColumn('id', d.serial, (c) => d.autoIncrement(c.primaryKey()));

  await id('contacts')
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .execute();

  await id('identities')
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .addUniqueConstraint('identities_kind_value', ['kind', 'value'])
    .execute();
  await db.schema.createIndex('identities_contact').on('identities').column('contact_id').execute();

  await id('discount_codes')
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('campaign_id', 'integer', (c) => c.references('campaigns.id'))
    .addColumn('link_id', 'integer', (c) => c.references('links.id'))
    .addColumn('single_use', 'integer', (c) => c.notNull())
    .addColumn('valid_from', d.bigint)
    .addColumn('valid_to', d.bigint)
    .addColumn('redemptions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .execute();

  await id('events')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('occurred_at', d.bigint, (c) => c.notNull())
    .addColumn('received_at', d.bigint, (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'integer', (c) => c.references('contacts.id'))
    .addColumn('click_id', d.bigint)
    .addColumn('link_id', 'integer')
    .addColumn('campaign_id', 'integer')
    .addColumn('discount_code_id', 'integer')
    .addColumn('amount', d.bigint)
    .addColumn('currency', 'text')
    .addColumn('reentry', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('properties', 'text')
    .execute();
  await db.schema
    .createIndex('events_campaign')
    .on('events')
    .columns(['campaign_id', 'type', 'occurred_at'])
    .execute();
  await db.schema.createIndex('events_contact').on('events').columns(['contact_id', 'occurred_at']).execute();

  await id('exposures')
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id'))
    .addColumn('campaign_id', 'integer')
    .addColumn('link_id', 'integer')
    .addColumn('channel', 'text')
    .addColumn('sent_at', d.bigint, (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .execute();
  await db.schema
    .createIndex('exposures_contact')
    .on('exposures')
    .columns(['contact_id', 'sent_at'])
    .execute();
  await db.schema
    .createIndex('exposures_campaign')
    .on('exposures')
    .columns(['campaign_id', 'sent_at'])
    .execute();

  await id('costs')
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('amount', d.bigint, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('impressions', d.bigint)
    .addColumn('reach', d.bigint)
    .addColumn('updated_at', d.bigint, (c) => c.notNull())
    .addUniqueConstraint('costs_campaign_day_currency', ['campaign_id', 'day', 'currency'])
    .execute();
}
