import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../test/golden/metrics.json' with { type: 'json' };
import { ChatmarkError } from './errors.js';
import {
  computeKpis,
  divideRoundHalfUp,
  type FunnelCounts,
  noCounts,
  RATE_KPIS,
  roundHalfUp,
} from './funnel.js';
import { wilsonInterval } from './stats/wilson.js';

const empty = noCounts('USD');

describe('computeKpis: spec/metrics.md §1 worked example', () => {
  it.each(golden.funnel)('$spec', ({ counts, expected, roiDecimals, averageOrderValue }) => {
    // The example's revenue is purchases × 85.00 average order value.
    expect(counts.conversions * averageOrderValue).toBe(expected.revenue);
    expect(counts.revenue).toBe(expected.revenue);
    const kpis = computeKpis(counts);
    expect(kpis.currency).toBe('USD');
    expect(kpis.qualification_rate).toBe(expected.qualification_rate);
    expect(kpis.conversion_rate).toBe(expected.conversion_rate);
    expect(kpis.cpa).toBe(expected.cpa);
    expect(kpis.cost_per_qualified_lead).toBe(expected.cost_per_qualified_lead);
    expect(Math.abs(kpis.roi! - expected.roi)).toBeLessThanOrEqual(0.5 * 10 ** -roiDecimals);
    expect(kpis.roi!.toFixed(roiDecimals)).toBe(expected.roi.toFixed(roiDecimals));
    // No impressions, visits or clicks in the example: those KPIs have a zero denominator.
    expect(kpis.cpm).toBe(expected.cpm);
    expect(kpis.ctr).toBe(expected.ctr);
    expect(kpis.click_to_message_rate).toBe(expected.click_to_message_rate);
    expect(kpis.chat_start_rate).toBe(expected.chat_start_rate);
  });

  it("reports the example in the spec's display form: 187.50, 37.50, −54.67%; with assists 83.33, +2.00%", () => {
    const base = golden.funnel[0]!.counts;
    const last = computeKpis(base);
    expect((last.cpa! / 100).toFixed(2)).toBe('187.50');
    expect((last.cost_per_qualified_lead! / 100).toFixed(2)).toBe('37.50');
    expect((last.roi! * 100).toFixed(2)).toBe('-54.67');
    const assisted = computeKpis(golden.funnel[1]!.counts);
    expect((assisted.cpa! / 100).toFixed(2)).toBe('83.33');
    expect((assisted.roi! * 100).toFixed(2)).toBe('2.00');
  });

  it('gives each rate its 95% Wilson interval under the same name', () => {
    const kpis = computeKpis(golden.funnel[0]!.counts);
    expect(kpis.intervals.qualification_rate).toEqual(wilsonInterval(160, 400));
    expect(kpis.intervals.conversion_rate).toEqual(wilsonInterval(32, 400));
    expect(kpis.intervals.ctr).toBeNull();
    const [low, high] = kpis.intervals.qualification_rate!;
    expect(low).toBeLessThan(0.4);
    expect(high).toBeGreaterThan(0.4);
  });
});

describe('computeKpis: DESIGN.md funnel formulas', () => {
  const full: FunnelCounts = {
    currency: 'EUR',
    spend: 250_000,
    impressions: 1_000_000,
    reach: 400_000,
    landing_visits: 9_000,
    link_clicks: 12_000,
    chats_started: 3_000,
    qualified: 900,
    conversions: 240,
    revenue: 480_000,
  };

  it('computes every KPI of the table', () => {
    expect(computeKpis(full)).toMatchObject({
      currency: 'EUR',
      cpm: 250, // 2,500.00 EUR per 1,000,000 impressions = 2.50 EUR per mille
      ctr: 0.012,
      click_to_message_rate: 0.25,
      chat_start_rate: 3_000 / 9_000,
      qualification_rate: 0.3,
      conversion_rate: 0.08,
      cpa: 1042, // 250000 / 240 = 1041.67
      cost_per_qualified_lead: 278, // 277.78
      roi: 0.92,
    });
  });

  it('a zero denominator gives null, never 0, Infinity or NaN', () => {
    expect(computeKpis(empty)).toEqual({
      currency: 'USD',
      cpm: null,
      ctr: null,
      click_to_message_rate: null,
      chat_start_rate: null,
      qualification_rate: null,
      conversion_rate: null,
      cpa: null,
      cost_per_qualified_lead: null,
      roi: null,
      intervals: {
        ctr: null,
        click_to_message_rate: null,
        chat_start_rate: null,
        qualification_rate: null,
        conversion_rate: null,
      },
    });
    // Zero numerators are real zeros.
    const noConversions = computeKpis({ ...empty, spend: 1000, chats_started: 50 });
    expect(noConversions.conversion_rate).toBe(0);
    expect(noConversions.cpa).toBeNull();
    expect(noConversions.roi).toBe(-1);
  });

  it('keeps a ratio above 1 but gives it no interval (not a proportion): more chats than landing visits', () => {
    const kpis = computeKpis({ ...full, chats_started: 10_000 });
    expect(kpis.chat_start_rate).toBeCloseTo(10_000 / 9_000, 15);
    expect(kpis.intervals.chat_start_rate).toBeNull();
  });

  it('accepts fractional attributed conversions and negative net revenue', () => {
    const kpis = computeKpis({ ...full, conversions: 31.5, revenue: -5_000 });
    expect(kpis.cpa).toBe(7937); // 250000 / 31.5 = 7936.51
    expect(kpis.roi).toBeCloseTo(-1.02, 15);
    expect(kpis.intervals.conversion_rate).toEqual(wilsonInterval(31.5, 3_000));
  });

  it('property: for any non-negative integer counts, every KPI is a finite number or null, rates within their intervals', () => {
    const count = fc.nat({ max: 10_000_000 });
    fc.assert(
      fc.property(
        fc.record({
          spend: fc.nat({ max: 2 ** 40 }),
          impressions: count,
          reach: count,
          landing_visits: count,
          link_clicks: count,
          chats_started: count,
          qualified: count,
          conversions: count,
          revenue: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        }),
        (counts) => {
          const kpis = computeKpis({ currency: 'USD', ...counts });
          for (const name of ['cpm', 'cpa', 'cost_per_qualified_lead'] as const) {
            const value = kpis[name];
            expect(value === null || Number.isSafeInteger(value)).toBe(true);
          }
          expect(kpis.roi === null || Number.isFinite(kpis.roi)).toBe(true);
          for (const name of RATE_KPIS) {
            const value = kpis[name];
            expect(value === null || Number.isFinite(value)).toBe(true);
            const interval = kpis.intervals[name];
            if (interval !== null) {
              expect(interval[0]).toBeLessThanOrEqual(value!);
              expect(interval[1]).toBeGreaterThanOrEqual(value!);
              expect(interval[0] >= 0 && interval[1] <= 1).toBe(true);
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it.each([
    { counts: { ...empty, currency: 'usd' }, code: 'invalid_currency', field: 'currency' },
    { counts: { ...empty, currency: 'US' }, code: 'invalid_currency', field: 'currency' },
    { counts: { ...empty, spend: 12.5 }, code: 'invalid_amount', field: 'spend' },
    { counts: { ...empty, spend: -100 }, code: 'invalid_amount', field: 'spend' },
    { counts: { ...empty, revenue: 0.5 }, code: 'invalid_amount', field: 'revenue' },
    { counts: { ...empty, impressions: -1 }, code: 'invalid_count', field: 'impressions' },
    { counts: { ...empty, chats_started: Number.NaN }, code: 'invalid_count', field: 'chats_started' },
    {
      counts: { ...empty, conversions: Number.POSITIVE_INFINITY },
      code: 'invalid_count',
      field: 'conversions',
    },
  ])('refuses $field = $counts.$field with $code', ({ counts, code, field }) => {
    const call = () => computeKpis(counts);
    expect(call).toThrowError(ChatmarkError);
    expect(call).toThrowError(expect.objectContaining({ code, field }));
  });
});

describe('rounding money half-up (minor units)', () => {
  it.each([
    [8333.33, 8333],
    [8333.5, 8334],
    [2.5, 3],
    [0.49999999999999994, 0],
    [-2.5, -3],
    [-0.4, 0],
    [0, 0],
  ])('roundHalfUp(%s) = %s', (value, expected) => {
    expect(Object.is(roundHalfUp(value), expected)).toBe(true);
  });

  it.each([
    [600_000, 32, 18_750],
    [600_000, 72, 8_333],
    [600_000, 160, 3_750],
    [5, 2, 3],
    [7, 2, 4],
    [-5, 2, -3],
    [5, -2, -3],
    [1, 3, 0],
    [2, 3, 1],
    [Number.MAX_SAFE_INTEGER, 2, 4503599627370496],
    [250_000, 31.5, 7_937],
  ])('divideRoundHalfUp(%s, %s) = %s', (numerator, denominator, expected) => {
    expect(divideRoundHalfUp(numerator, denominator)).toBe(expected);
  });

  it('is exact where the floating-point quotient lands on a false half', () => {
    // 6755399441055745/3 = 2251799813685248.33…, but as a double it is …248.5, which Math.round takes up.
    expect(Math.round(6_755_399_441_055_745 / 3)).toBe(2_251_799_813_685_249);
    expect(divideRoundHalfUp(6_755_399_441_055_745, 3)).toBe(2_251_799_813_685_248);
    expect(divideRoundHalfUp(5, 0)).toBeNull();
    expect(divideRoundHalfUp(5, 1e-320)).toBeNull();
  });
});
