import { sql } from 'kysely';
import type { Db } from './db.js';

/**
 * Raises a link's click counter to at least `floor` (creating it there): how the counter is
 * seeded from the clicks already committed. Never lowers it, so two servers seeding at once, or
 * a seed older than the counter, lose nothing.
 */
export async function raiseLinkCounter(db: Db, linkId: number, floor: number): Promise<void> {
  await db
    .insertInto('link_click_counters')
    .values({ link_id: linkId, used: floor })
    .onConflict((oc) =>
      oc.column('link_id').doUpdateSet({
        used: sql<number>`case when excluded.used > link_click_counters.used then excluded.used else link_click_counters.used end`,
      }),
    )
    .execute();
}

/**
 * Takes one of a link's `max` clicks: one atomic conditional UPDATE, so servers sharing the store
 * never hand out more than `max` between them (the row must exist: see raiseLinkCounter).
 *
 * @returns whether a click was left to take
 */
export async function takeLinkClick(db: Db, linkId: number, max: number): Promise<boolean> {
  const row = await db
    .updateTable('link_click_counters')
    .set({ used: sql<number>`used + 1` })
    .where('link_id', '=', linkId)
    .where('used', '<', max)
    .returning('used')
    .executeTakeFirst();
  return row !== undefined;
}
