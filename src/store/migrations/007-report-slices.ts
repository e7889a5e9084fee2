import type { Kysely } from 'kysely';
import type { DialectInfo } from '../dialect.js';

/**
 * A cache of whole-store reports' day slices (store/report-slices.repository.ts), with the
 * version of each day they were computed at: a report over a month recomputes only the days
 * written since.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>, d: DialectInfo): Promise<void> {
  await db.schema
    .createTable('report_day_versions')
    .addColumn('day', d.bigint, (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('report_slices')
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('day', d.bigint, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_slices_pk', ['signature', 'day'])
    .execute();
}
