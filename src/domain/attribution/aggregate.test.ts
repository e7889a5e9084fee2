import { describe, expect, it } from 'vitest';
import { ChatmarkError } from '../errors.js';
import { aggregate, createAggregator } from './aggregate.js';
import { attribute } from './attribute.js';
import type { AttributionModel, Conversion, Touch } from './types.js';
import { DAY_MS, HOUR_MS } from './windows.js';

const T = Date.UTC(2025, 5, 1, 12);
const byChannel = { by: (touch: Touch) => touch.channel ?? '(none)' };
const touch = (id: number, channel: string, before: number, type: Touch['type'] = 'click'): Touch => ({
  id,
  type,
  at: T - before,
  campaignId: 1,
  channel,
});
const usd = (id: number, amount: number): Conversion => ({ id, at: T, value: { amount, currency: 'USD' } });

/** Three conversions: two journeys over several channels and one with nothing in the window. */
function scenario(model: AttributionModel) {
  return [
    attribute(
      usd(1, 10_000),
      [touch(1, 'whatsapp', 3 * DAY_MS), touch(2, 'telegram', 2 * DAY_MS), touch(3, 'whatsapp', DAY_MS)],
      { model },
    ),
    attribute(usd(2, 3_001), [touch(4, 'telegram', 5 * DAY_MS), touch(5, 'sms', HOUR_MS)], { model }),
    attribute(usd(3, 999), [touch(6, 'sms', 60 * DAY_MS)], { model }),
  ];
}

describe('aggregate: the over-attribution view (spec/metrics.md §2)', () => {
  it('linear: claimed counts conversions, credited sums shares, money is split in minor units', () => {
    const summary = aggregate(scenario('linear'), byChannel);
    expect(summary.conversions).toBe(3);
    expect(summary.model).toBe('linear');
    expect(summary.value).toEqual({ USD: 14_000 });
    expect(summary.unattributed).toEqual({ count: 1, value: { USD: 999 } });

    const rows = Object.fromEntries(summary.rows.map((row) => [row.key, row]));
    expect(summary.rows.map((row) => row.key)).toEqual(['sms', 'telegram', 'whatsapp']);
    // Conversion 1: whatsapp 2/3, telegram 1/3 (10,000 → 6,667 + 3,333). Conversion 2: 1/2 each;
    // 3,001 leaves one unit on a tie, which goes to the first key in order (sms 1,501, telegram 1,500).
    expect(rows.whatsapp).toMatchObject({ claimed: 1, immediate: 1, assisted: 0, value: { USD: 6_667 } });
    expect(rows.whatsapp!.credited).toBeCloseTo(2 / 3, 12);
    expect(rows.telegram).toMatchObject({
      claimed: 2,
      immediate: 0,
      assisted: 2,
      value: { USD: 3_333 + 1_500 },
    });
    expect(rows.telegram!.credited).toBeCloseTo(1 / 3 + 1 / 2, 12);
    expect(rows.sms).toMatchObject({
      claimed: 1,
      immediate: 1,
      assisted: 0,
      credited: 0.5,
      value: { USD: 1_501 },
    });

    const claimed = summary.rows.reduce((sum, row) => sum + row.claimed, 0);
    const credited = summary.rows.reduce((sum, row) => sum + row.credited, 0);
    expect(claimed).toBe(4); // more than the 3 conversions: each single-channel tool claims its own
    expect(credited + summary.unattributed.count).toBeCloseTo(3, 12);
  });

  it('last_touch: a claimed key may be credited nothing, and keeps its row', () => {
    const summary = aggregate(scenario('last_touch'), byChannel);
    const rows = Object.fromEntries(summary.rows.map((row) => [row.key, row]));
    expect(rows.telegram).toEqual({
      key: 'telegram',
      credited: 0,
      claimed: 2,
      immediate: 0,
      assisted: 2,
      value: {},
    });
    expect(rows.whatsapp).toEqual({
      key: 'whatsapp',
      credited: 1,
      claimed: 1,
      immediate: 1,
      assisted: 0,
      value: { USD: 10_000 },
    });
    expect(rows.sms).toEqual({
      key: 'sms',
      credited: 1,
      claimed: 1,
      immediate: 1,
      assisted: 0,
      value: { USD: 3_001 },
    });
  });

  it('never adds currencies together', () => {
    const results = [
      attribute({ id: 1, at: T, value: { amount: 500, currency: 'EUR' } }, [touch(1, 'whatsapp', DAY_MS)], {
        model: 'linear',
      }),
      attribute({ id: 2, at: T, value: { amount: 700, currency: 'USD' } }, [touch(2, 'whatsapp', DAY_MS)], {
        model: 'linear',
      }),
      attribute({ id: 3, at: T, value: { amount: 90, currency: 'JPY' } }, [], { model: 'linear' }),
      attribute({ id: 4, at: T }, [touch(3, 'whatsapp', DAY_MS)], { model: 'linear' }),
    ];
    const summary = aggregate(results, byChannel);
    expect(summary.value).toEqual({ EUR: 500, USD: 700, JPY: 90 });
    expect(summary.rows).toEqual([
      { key: 'whatsapp', credited: 3, claimed: 3, immediate: 3, assisted: 0, value: { EUR: 500, USD: 700 } },
    ]);
    expect(summary.unattributed).toEqual({ count: 1, value: { JPY: 90 } });
  });

  it('counts a conversion once per key, however many touches the key has in it (immediate, not also assisted)', () => {
    const result = attribute(
      usd(1, 100),
      [touch(1, 'whatsapp', 3 * HOUR_MS), touch(2, 'whatsapp', 2 * HOUR_MS), touch(3, 'whatsapp', HOUR_MS)],
      { model: 'linear' },
    );
    expect(aggregate([result], byChannel).rows).toEqual([
      { key: 'whatsapp', credited: 1, claimed: 1, immediate: 1, assisted: 0, value: { USD: 100 } },
    ]);
  });

  it('refunds (negative values) are split like purchases', () => {
    const result = attribute(
      usd(1, -1_000),
      [touch(1, 'whatsapp', 3 * DAY_MS), touch(2, 'telegram', 2 * DAY_MS), touch(3, 'sms', DAY_MS)],
      { model: 'linear' },
    );
    const summary = aggregate([result], byChannel);
    // sms is tₙ and holds 1 − 2/3, the largest remainder, so it takes the odd unit.
    expect(summary.rows.map((row) => [row.key, row.value.USD])).toEqual([
      ['sms', -334],
      ['telegram', -333],
      ['whatsapp', -333],
    ]);
  });

  it.each(['linear', 'last_touch', 'time_decay', 'position_based'] as const)(
    '%s: adding results slice by slice sums exactly as one call over all of them',
    (model) => {
      const results = scenario(model);
      const whole = aggregate(results, byChannel);
      for (const cut of [0, 1, 2, 3]) {
        const parts = createAggregator(byChannel);
        parts.add(results.slice(0, cut));
        parts.add(results.slice(cut));
        expect(parts.summary()).toEqual(whole);
        // The same through summaries of the slices, as a cache hands them back.
        const merged = createAggregator(byChannel);
        merged.addSummary(aggregate(results.slice(0, cut), byChannel));
        merged.addSummary(JSON.parse(JSON.stringify(aggregate(results.slice(cut), byChannel))));
        expect(merged.summary()).toEqual(whole);
      }
      expect(whole.conversions).toBe(3);
    },
  );

  it('refuses a slice computed with other parameters than the first', () => {
    const parts = createAggregator(byChannel);
    parts.add(scenario('linear'));
    expect(() => parts.add(scenario('last_touch'))).toThrow(ChatmarkError);
  });

  it('an empty list gives an empty summary', () => {
    expect(aggregate([], byChannel)).toEqual({
      model: null,
      windows: null,
      halfLifeMs: null,
      conversions: 0,
      value: {},
      rows: [],
      unattributed: { count: 0, value: {} },
    });
  });

  it.each([
    [
      'models',
      [attribute(usd(1, 1), [], { model: 'linear' }), attribute(usd(2, 1), [], { model: 'last_touch' })],
    ],
    [
      'windows',
      [
        attribute(usd(1, 1), [], { model: 'linear' }),
        attribute(usd(2, 1), [], { model: 'linear', windows: { click: '7d' } }),
      ],
    ],
    [
      'half-lives',
      [
        attribute(usd(1, 1), [], { model: 'time_decay' }),
        attribute(usd(2, 1), [], { model: 'time_decay', halfLifeMs: DAY_MS }),
      ],
    ],
  ])('refuses results with mixed %s (mixed_attribution_parameters on results)', (_, results) => {
    let error: unknown;
    try {
      aggregate(results, byChannel);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ChatmarkError);
    expect(error).toMatchObject({ code: 'mixed_attribution_parameters', field: 'results' });
  });
});
