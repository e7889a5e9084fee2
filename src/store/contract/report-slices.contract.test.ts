import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, dropTestSchemas } from '../../../test/support/services.js';
import type { StoreDb } from '../dialect.js';
import {
  bumpDayVersions,
  evictSlices,
  markSlicesUsed,
  nextSliceUse,
  readSlices,
  storeSlices,
} from '../report-slices.repository.js';

const DAY = 86_400_000;
const D0 = Date.UTC(2026, 10, 1);
const days = (n: number, signature: string) =>
  Array.from({ length: n }, (_, i) => ({ signature, day: D0 + i * DAY, version: 0, payload: `{"d":${i}}` }));

/** The report cache is bounded: the least recently used slices go first. */
describeEachBackend('store contract: report slices', (backend) => {
  let store: StoreDb;

  beforeAll(async () => {
    if (backend.skipReason) return;
    store = await backend.open();
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await dropTestSchemas();
  });

  const rows = async () =>
    (
      await store.db
        .selectFrom('report_slices')
        .select(['signature', 'day', 'last_use'])
        .orderBy('signature')
        .orderBy('day')
        .execute()
    ).map((r) => `${r.signature}:${(Number(r.day) - D0) / DAY}@${Number(r.last_use)}`);

  it('keeps the most recently used rows up to the bound', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    expect(await nextSliceUse(store.db)).toBe(1);
    await storeSlices(store.db, days(3, 'a'), 1);
    expect(await nextSliceUse(store.db)).toBe(2);
    await storeSlices(store.db, days(2, 'b'), 2);
    // A later report reads a's first two days again: they are now the most recently used.
    await markSlicesUsed(store.db, 'a', D0, D0 + 2 * DAY, 3);
    expect(await evictSlices(store.db, 10)).toBe(0);
    expect(await evictSlices(store.db, 3)).toBe(2);
    // b (use 2) is older than a's first two days (use 3); a's third day (use 1) went first.
    expect(await rows()).toEqual(['a:0@3', 'a:1@3', 'b:1@2']);
    // Storing again replaces a row and renews its use.
    await storeSlices(store.db, [{ signature: 'b', day: D0 + DAY, version: 1, payload: '{}' }], 4);
    expect([...(await readSlices(store.db, 'b', D0, D0 + 2 * DAY))]).toEqual([
      [D0 + DAY, { version: 1, payload: '{}', lastUse: 4 }],
    ]);
    expect(await evictSlices(store.db, 1)).toBe(2);
    expect(await rows()).toEqual(['b:1@4']);
    await bumpDayVersions(store.db, 'all');
    expect(await rows()).toEqual([]);
  });
});
