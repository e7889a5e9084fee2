import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, dropTestSchemas } from '../../../test/support/services.js';
import { type ClickRecord, countHumanClicks, listClicks } from '../clicks.repository.js';
import type { StoreDb } from '../dialect.js';

const T0 = Date.UTC(2026, 10, 1, 10, 15);

const click = (id: number, linkId: number, extra: Partial<ClickRecord> = {}): ClickRecord => ({
  id,
  linkId,
  at: T0 + id * 60_000,
  visitorHash: `v${id}`,
  device: id % 3 === 0 ? 'desktop' : 'mobile',
  os: 'Android',
  browser: 'Chrome',
  referrerHost: null,
  qr: id % 4 === 0,
  bot: id % 5 === 0,
  botReason: id % 5 === 0 ? 'isbot' : null,
  country: null,
  adIds: id % 2 ? { fbclid: `f${id}` } : null,
  ...extra,
});

/** The rollups' totals per link: hourly and daily must both equal the clicks stored. */
async function totals(store: StoreDb, linkId: number) {
  const sum = async (table: 'click_rollups' | 'click_rollups_daily') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('clicks'), eb.lit(0)).as('n'))
          .where('link_id', '=', linkId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const clicks = await listClicks(store.db, { linkId, limit: 10_000 });
  return {
    clicks: clicks.length,
    hourly: await sum('click_rollups'),
    daily: await sum('click_rollups_daily'),
  };
}

/** The journal's spill replay (DESIGN.md scale-out: "replayed exactly once"), on every backend. */
describeEachBackend('store: replaying spilled clicks', (backend) => {
  let store: StoreDb;
  beforeAll(async () => {
    if (!backend.skipReason) store = await backend.open();
  });
  afterAll(async () => {
    await store?.close();
    await dropTestSchemas();
  });

  it('writes each click once however often the same spill is replayed, rollups included', async () => {
    const batch = Array.from({ length: 60 }, (_, i) => click(7000 + i, 71));
    expect(await store.replayClicks(batch)).toBe(60);
    expect(await store.replayClicks(batch)).toBe(0);
    expect(await totals(store, 71)).toEqual({ clicks: 60, hourly: 60, daily: 60 });
    expect(await countHumanClicks(store.db, 71)).toBe(batch.filter((c) => !c.bot).length);
    const stored = await listClicks(store.db, { linkId: 71, limit: 1 });
    expect(stored[0]).toEqual(batch[0]);
  });

  it('skips only the clicks a commit already wrote when a replay overlaps it', async () => {
    const committed = Array.from({ length: 10 }, (_, i) => click(8000 + i, 72));
    await store.writeClicks(committed);
    const spilled = [...committed.slice(5), ...Array.from({ length: 7 }, (_, i) => click(8100 + i, 72))];
    expect(await store.replayClicks(spilled)).toBe(7);
    expect(await totals(store, 72)).toEqual({ clicks: 17, hourly: 17, daily: 17 });
  });
});
