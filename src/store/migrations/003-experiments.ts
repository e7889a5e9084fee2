import type { Kysely } from 'kysely';
import type { DialectInfo } from '../dialect.js';

/**
 * Experiments on a campaign (a baseline and a variant link group compared on one decision metric),
 * the campaign's baseline snapshots, and the root-cause notes of its day 3 / 7 / 14 reviews
 * (DESIGN.md "Campaigns, experiments and reviews").
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>, d: DialectInfo): Promise<void> {
  const id = (name: string) =>
    db.schema.createTable(name).addColumn('id', d.serial, (c) => d.autoIncrement(c.primaryKey()));

  await id('experiments')
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('decision_metric', 'text', (c) => c.notNull())
    .addColumn('baseline_link_ids', 'text', (c) => c.notNull())
    .addColumn('variant_link_ids', 'text', (c) => c.notNull())
    .addColumn('expected_weights', 'text')
    .addColumn('min_conversions', 'integer', (c) => c.notNull())
    .addColumn('planned_sample_size', 'integer')
    // Fractions (0.05 = 5%): stored as double precision on both engines.
    .addColumn('minimum_effect', 'double precision', (c) => c.notNull())
    .addColumn('rollback_threshold', 'double precision', (c) => c.notNull())
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('experiments_campaign')
    .on('experiments')
    .columns(['campaign_id', 'id'])
    .execute();

  // Several snapshots may be taken; reviews compare against the latest one.
  await id('baselines')
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('taken_at', d.bigint, (c) => c.notNull())
    .addColumn('metrics', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('baselines_campaign').on('baselines').columns(['campaign_id', 'id']).execute();

  await db.schema
    .createTable('reviews')
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('updated_at', d.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('reviews_campaign_day', ['campaign_id', 'day'])
    .execute();
}
