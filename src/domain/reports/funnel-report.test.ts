import { describe, expect, it } from 'vitest';
import { type Attribution, attribute, createAggregator } from '../attribution/index.js';
import { attributionGroup, attributionReportOf } from './attribution-report.js';
import { attributedTouch, reportDimensions, UNATTRIBUTED } from './dimensions.js';
import { createFunnelPart, createFunnelTotals, type FunnelScope } from './funnel-report.js';

// Pure: links, campaigns, counts and conversions are plain values, no store is opened.
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2);
const dims = reportDimensions(
  [
    { id: 1, slug: 'spring', utm: { source: 'ig' }, primaryConversion: 'purchase' },
    { id: 2, slug: 'other', utm: {}, primaryConversion: 'purchase' },
  ],
  [
    { id: 10, code: 'sp1', campaignId: 1, channel: 'whatsapp', variant: null, utm: {} },
    { id: 20, code: 'ot1', campaignId: 2, channel: 'telegram', variant: 'b', utm: { source: 'tt' } },
  ],
);
const click = (id: number, linkId: number, at: number) =>
  attributedTouch({ kind: 'click', id, at, linkId, campaignId: null, channel: null }, dims);
const purchase = (id: number, touches: ReturnType<typeof click>[], amount = 8500): Attribution =>
  attribute({ id, at: T0 + DAY, value: { amount, currency: 'USD' } }, touches, { model: 'last_touch' });

describe('report dimensions', () => {
  it('keys a fact by its link, else its campaign, else (unattributed)', () => {
    expect(dims.of(20, null)).toMatchObject({
      campaign: 'other',
      channel: 'telegram',
      source: 'tt',
      variant: 'b',
    });
    expect(dims.of(10, null)).toMatchObject({
      campaign: 'spring',
      source: 'ig',
      variant: '(none)',
      link: 'sp1',
    });
    expect(dims.of(null, 1)).toMatchObject({ campaign: 'spring', channel: UNATTRIBUTED, source: 'ig' });
    expect(dims.of(null, null).campaign).toBe(UNATTRIBUTED);
  });

  it('gives a click its link campaign, and an exposure its own channel', () => {
    expect(click(7, 20, T0)).toMatchObject({ id: 'c7', type: 'click', campaignId: 2, channel: 'telegram' });
    const exposure = attributedTouch(
      { kind: 'exposure', id: 3, at: T0, linkId: null, campaignId: 1, channel: 'sms' },
      dims,
    );
    expect(exposure).toMatchObject({ id: 'e3', type: 'exposure', campaignId: 1, channel: 'sms' });
    expect(exposure.dims.channel).toBe('sms');
  });
});

describe('funnel report (pure)', () => {
  const scope: FunnelScope = { groupBy: 'campaign', campaignId: undefined, conversionType: 'purchase', dims };

  it('reproduces the worked example of spec/metrics.md §1, assisted purchases beside the credit', () => {
    const totals = createFunnelTotals(scope);
    totals.addCost({
      day: '2026-03-02',
      campaignId: 1,
      currency: 'USD',
      amount: 600_000,
      impressions: 0,
      reach: 0,
    });
    const part = createFunnelPart(scope);
    part.addDirect({ type: 'chat_started', linkId: 10, campaignId: 1, reentry: 0, day: 0, n: 400 });
    part.addDirect({ type: 'chat_started', linkId: 10, campaignId: 1, reentry: 1, day: 0, n: 25 });
    part.addDirect({ type: 'qualified', linkId: 10, campaignId: 1, reentry: 0, day: 0, n: 160 });
    const purchases: Attribution[] = [];
    for (let i = 0; i < 32; i++) purchases.push(purchase(i, [click(i, 10, T0)]));
    // 40 purchases whose last touch is another campaign's: spring only assisted them.
    for (let i = 100; i < 140; i++)
      purchases.push(purchase(i, [click(i, 10, T0), click(i + 1000, 20, T0 + 1)]));
    for (const r of purchases) part.credit(r);
    const revenueBy = createAggregator({ by: part.revenueKey });
    revenueBy.add(purchases);
    part.creditRevenue(revenueBy.summary(), 1);
    // Whole days are cached as JSON: a part read back adds up the same.
    totals.addPart(JSON.parse(JSON.stringify(part.part)) as typeof part.part);

    const { rows, unattributed } = totals.report();
    expect(unattributed).toBe(0);
    const spring = rows.find((r) => r.key === 'spring');
    expect(spring).toMatchObject({
      currency: 'USD',
      spend: 600_000,
      chats_started: 400,
      qualified: 160,
      conversions: 32,
      revenue: 272_000,
      qualification_rate: 0.4,
      conversion_rate: 0.08,
      cpa: 18_750,
      cost_per_qualified_lead: 3750,
      immediate: 32,
      assisted: 40,
      with_assisted: { conversions: 72, revenue: 612_000, cpa: 8333 },
    });
    expect(spring?.roi).toBeCloseTo(-0.5467, 4);
    expect(spring?.with_assisted.roi).toBeCloseTo(0.02, 10);
    // A campaign that spent nothing (by campaign, money is counted: 0, not null) has a CPA of 0.
    expect(rows.find((r) => r.key === 'other')).toMatchObject({ conversions: 40, spend: 0, cpa: 0 });
  });

  it('keeps other campaigns out of a filtered report, and carries no money outside campaign or day groups', () => {
    const byChannel = createFunnelTotals({ ...scope, groupBy: 'channel', campaignId: 1 });
    expect(byChannel.moneyGroups).toBe(false);
    byChannel.addVisits({ linkId: null, utmCampaign: 'other', utmSource: 'tt', day: 0, n: 5 });
    byChannel.addVisits({ linkId: null, utmCampaign: 'spring', utmSource: 'fb', day: 0, n: 3 });
    byChannel.addClicks({ linkId: 10, day: 0, clicks: 9 });
    const part = createFunnelPart({ ...scope, groupBy: 'channel', campaignId: 1 });
    part.credit(purchase(1, [click(1, 10, T0), click(2, 20, T0 + 1)]));
    part.credit(attribute({ id: 2, at: T0 }, [], { model: 'last_touch' }));
    byChannel.addPart(part.part);
    const { rows, unattributed } = byChannel.report();
    expect(unattributed).toBe(1);
    expect(rows).toEqual([
      expect.objectContaining({ key: UNATTRIBUTED, landing_visits: 3, spend: null, cpa: null }),
      expect.objectContaining({ key: 'whatsapp', link_clicks: 9, conversions: 0, assisted: 1, spend: null }),
    ]);
  });

  it('credits revenue net of refunds to the conversion day when grouped by day', () => {
    const byDay = { ...scope, groupBy: 'day' as const };
    const part = createFunnelPart(byDay);
    part.creditRevenueOfDay(purchase(1, [click(1, 10, T0)], 1000), 1);
    part.creditRevenueOfDay(purchase(2, [click(2, 10, T0)], 300), -1);
    const totals = createFunnelTotals(byDay);
    totals.addPart(part.part);
    expect(totals.report().rows).toEqual([expect.objectContaining({ key: '2026-03-03', revenue: 700 })]);
  });
});

describe('attribution report (pure)', () => {
  it('credits by channel and rounds credit to six decimals', () => {
    const by = attributionGroup('channel');
    const linear = (id: number) =>
      attribute(
        { id, at: T0 + DAY },
        [click(id, 10, T0), click(id + 10, 20, T0 + 1), click(id + 20, 20, T0 + 2)],
        { model: 'linear' },
      );
    const aggregator = createAggregator({ by });
    aggregator.add([linear(1), linear(2), linear(3)]);
    const report = attributionReportOf('purchase', aggregator.summary());
    expect(report.conversions).toBe(3);
    expect(report.rows.map((r) => [r.key, r.credited, r.claimed])).toEqual(
      expect.arrayContaining([
        ['whatsapp', 1, 3],
        ['telegram', 2, 3],
      ]),
    );
  });
});
