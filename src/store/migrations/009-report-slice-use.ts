import type { Kysely } from 'kysely';
import type { DialectInfo } from '../dialect.js';

/**
 * `last_use` on cached report slices: the report (a counter, not a clock) that last read or wrote
 * each row, so the cache can be held to a fixed number of rows by dropping the least recently
 * used (store/report-slices.repository.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>, d: DialectInfo): Promise<void> {
  await db.schema
    .alterTable('report_slices')
    .addColumn('last_use', d.bigint, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('report_slices_last_use').on('report_slices').column('last_use').execute();
}
