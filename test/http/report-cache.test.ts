import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0);
const RANGE = 'from=2026-11-01&to=2026-11-30';

/**
 * Whole-store reports keep each whole day's part (store/report-slices.repository.ts). These tests
 * check a cached report is the report: after a new event on a cached day, a link's new variant and
 * a campaign's new slug, it says what a computation from scratch says.
 */
describeEachBackend('reports: cached day slices of whole-store reports', (backend) => {
  let t: TestServer;
  let campaign: { id: number; slug: string };
  let link: { id: number; code: string };
  let refs: string[] = [];

  const report = async (query: string) => {
    const response = await t.call('GET', `/api/reports/funnel?${RANGE}&${query}`);
    expect(response.statusCode).toBe(200);
    return response.json().rows as Record<string, unknown>[];
  };
  /** The same report with the cache emptied first: what it must say. */
  const fromScratch = async (query: string) => {
    await t.server.store.db.deleteFrom('report_slices').execute();
    return report(query);
  };
  const cachedSlices = async () =>
    Number(
      (
        await t.server.store.db
          .selectFrom('report_slices')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const purchase = async (key: string, clickId: string, day: number) => {
    const response = await t.call('POST', '/api/events', {
      type: 'purchase',
      occurredAt: new Date(Date.UTC(2026, 10, day, 15)).toISOString(),
      idempotencyKey: key,
      clickId,
      value: { amount: 2500, currency: 'EUR' },
    });
    expect(response.statusCode).toBe(201);
  };

  beforeAll(async () => {
    if (backend.skipReason) return;
    t = await startTestServer(backend, {}, { now: NOW });
    campaign = (await t.call('POST', '/api/campaigns', { name: 'Winter', owner: 'ana' })).json();
    link = (
      await t.call('POST', '/api/links', {
        campaignId: campaign.id,
        channel: 'whatsapp',
        target: { phone: '+447911123456' },
        variant: 'a',
      })
    ).json();
    refs = [];
    // The clicks on the 5th (the server's clock then), the purchases later.
    t.clock.now = Date.UTC(2026, 10, 5, 9);
    for (let i = 0; i < 3; i += 1) {
      refs.push(await t.click(link.code));
    }
    t.clock.now = NOW;
    // Purchases on the 10th and the 12th, long before the report is asked for.
    await purchase('p1', refs[0] ?? '', 10);
    await purchase('p2', refs[1] ?? '', 12);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers from the cache what it answers from scratch, and stores whole days only', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    const first = await report('groupBy=variant');
    expect(first).toEqual([expect.objectContaining({ key: 'a', conversions: 2, revenue: 5000 })]);
    // 2026-11-01 … 2026-11-30 inclusive: 30 whole days.
    expect(await cachedSlices()).toBe(30);
    expect(await report('groupBy=variant')).toEqual(first);
    expect(await fromScratch('groupBy=variant')).toEqual(first);
  });

  it('recomputes a cached day when an event of that day arrives', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    await report('groupBy=day');
    const before = await cachedSlices();
    await purchase('p3', refs[2] ?? '', 10);
    // The 10th's stale slices (by variant and by day, the two reports kept) are dropped with the
    // write; the other days' stay.
    expect(before - (await cachedSlices())).toBe(2);
    const rows = await report('groupBy=day');
    expect(rows.find((r) => r.key === '2026-11-10')).toMatchObject({ conversions: 2, revenue: 5000 });
    expect(rows).toEqual(await fromScratch('groupBy=day'));
  });

  it("follows a link's new variant and a campaign's new slug", async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    await report('groupBy=variant');
    await report('groupBy=campaign');
    expect((await t.call('PATCH', `/api/links/${link.id}`, { variant: 'b' })).statusCode).toBe(200);
    expect((await report('groupBy=variant')).map((r) => [r.key, r.conversions])).toEqual([['b', 3]]);
    expect((await t.call('PATCH', `/api/campaigns/${campaign.id}`, { slug: 'winter_sale' })).statusCode).toBe(
      200,
    );
    const byCampaign = await report('groupBy=campaign');
    expect(byCampaign.map((r) => [r.key, r.conversions])).toEqual([['winter_sale', 3]]);
    expect(byCampaign).toEqual(await fromScratch('groupBy=campaign'));
  });
});
