import { sql } from 'kysely';
import type { Db } from './db.js';

const DAY = 86_400_000;
/** The `report_day_versions` row that versions everything at once (a link or campaign changed). */
const EPOCH = -1;

/**
 * What a report's whole-day slices were computed from: the epoch (bumped when links or campaigns
 * change, which renames keys everywhere) and each UTC day's version (bumped when an event of that
 * day, or a touch of one, is written). A cached slice is good only while both are unchanged.
 */
export async function readDayVersions(
  db: Db,
  from: number,
  to: number,
): Promise<{ epoch: number; versions: Map<number, number> }> {
  const rows = await db
    .selectFrom('report_day_versions')
    .select(['day', 'version'])
    .where((eb) => eb.or([eb('day', '=', EPOCH), eb.and([eb('day', '>=', from), eb('day', '<', to)])]))
    .execute();
  const versions = new Map<number, number>();
  let epoch = 0;
  for (const r of rows) {
    if (Number(r.day) === EPOCH) epoch = Number(r.version);
    else versions.set(Number(r.day), Number(r.version));
  }
  return { epoch, versions };
}

/** Marks these days changed (their cached slices stop being used), or, with `'all'`, every day. */
export async function bumpDayVersions(db: Db, days: Iterable<number> | 'all'): Promise<void> {
  const list = days === 'all' ? [EPOCH] : [...new Set([...days].map((at) => at - (at % DAY)))];
  for (const day of list) {
    await db
      .insertInto('report_day_versions')
      .values({ day, version: 1 })
      .onConflict((oc) =>
        oc.column('day').doUpdateSet({ version: sql<number>`report_day_versions.version + 1` }),
      )
      .execute();
  }
  // Slices of those days can never be read again: drop them rather than let them pile up.
  if (days === 'all') await db.deleteFrom('report_slices').execute();
  else if (list.length > 0) await db.deleteFrom('report_slices').where('day', 'in', list).execute();
}

/**
 * The cached slices of a report signature in [from, to), with the day version each was made at
 * and the report that last used it.
 */
export async function readSlices(
  db: Db,
  signature: string,
  from: number,
  to: number,
): Promise<Map<number, { version: number; payload: string; lastUse: number }>> {
  const rows = await db
    .selectFrom('report_slices')
    .select(['day', 'version', 'payload', 'last_use'])
    .where('signature', '=', signature)
    .where('day', '>=', from)
    .where('day', '<', to)
    .execute();
  return new Map(
    rows.map((r) => [
      Number(r.day),
      { version: Number(r.version), payload: r.payload, lastUse: Number(r.last_use) },
    ]),
  );
}

/** The use number of a report about to read and write slices: one more than any so far. */
export async function nextSliceUse(db: Db): Promise<number> {
  const row = await db
    .selectFrom('report_slices')
    .select((eb) => eb.fn.max('last_use').as('last'))
    .executeTakeFirst();
  return Number(row?.last ?? 0) + 1;
}

/** Marks a signature's slices in [from, to) as used by report `use` (they were just read). */
export async function markSlicesUsed(
  db: Db,
  signature: string,
  from: number,
  to: number,
  use: number,
): Promise<void> {
  await db
    .updateTable('report_slices')
    .set({ last_use: use })
    .where('signature', '=', signature)
    .where('day', '>=', from)
    .where('day', '<', to)
    .execute();
}

/** Keeps slices (one row per signature and day: the newest replaces the last), in one statement. */
export async function storeSlices(
  db: Db,
  slices: readonly { signature: string; day: number; version: number; payload: string }[],
  use: number,
): Promise<void> {
  if (slices.length === 0) return;
  await db
    .insertInto('report_slices')
    .values(slices.map((slice) => ({ ...slice, last_use: use })))
    .onConflict((oc) =>
      oc.columns(['signature', 'day']).doUpdateSet({
        version: sql<number>`excluded.version`,
        payload: sql<string>`excluded.payload`,
        last_use: sql<number>`excluded.last_use`,
      }),
    )
    .execute();
}

/**
 * Holds the cache to `keep` rows: drops the least recently used beyond that (a cached slice is
 * only a shortcut: a report recomputes what is gone). Returns how many rows it dropped.
 */
export async function evictSlices(db: Db, keep: number): Promise<number> {
  const { n } = await db
    .selectFrom('report_slices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const excess = Number(n) - keep;
  if (excess <= 0) return 0;
  const oldest = db
    .selectFrom('report_slices')
    .select(['signature', 'day'])
    .orderBy('last_use')
    .orderBy('day')
    .limit(excess);
  await db
    .deleteFrom('report_slices')
    .where((eb) => eb(eb.refTuple('signature', 'day'), 'in', oldest.$asTuple('signature', 'day')))
    .execute();
  return excess;
}
