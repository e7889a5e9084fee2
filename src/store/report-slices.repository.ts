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

/** The cached slices of a report signature in [from, to), with the day version each was made at. */
export async function readSlices(
  db: Db,
  signature: string,
  from: number,
  to: number,
): Promise<Map<number, { version: number; payload: string }>> {
  const rows = await db
    .selectFrom('report_slices')
    .select(['day', 'version', 'payload'])
    .where('signature', '=', signature)
    .where('day', '>=', from)
    .where('day', '<', to)
    .execute();
  return new Map(rows.map((r) => [Number(r.day), { version: Number(r.version), payload: r.payload }]));
}

/** Keeps a slice (one row per signature and day: the newest replaces the last). */
export async function storeSlice(
  db: Db,
  slice: { signature: string; day: number; version: number; payload: string },
): Promise<void> {
  await db
    .insertInto('report_slices')
    .values(slice)
    .onConflict((oc) =>
      oc.columns(['signature', 'day']).doUpdateSet({
        version: sql<number>`excluded.version`,
        payload: sql<string>`excluded.payload`,
      }),
    )
    .execute();
}
