import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate } from './aggregate.js';
import { attribute } from './attribute.js';
import {
  ATTRIBUTION_MODELS,
  type AttributeOptions,
  type Attribution,
  type Conversion,
  TOUCH_TYPES,
  type Touch,
} from './types.js';
import { DAY_MS, HOUR_MS } from './windows.js';

// Invariants of spec/metrics.md §2 and DESIGN.md "Conversions and attribution", for every model.
const T = Date.UTC(2025, 5, 1, 12);

const touchArb: fc.Arbitrary<Touch> = fc.record({
  id: fc.oneof(fc.nat(40), fc.constantFrom('a', 'b', 'B', 'x1')),
  type: fc.constantFrom(...TOUCH_TYPES),
  // Offsets before T: around the billboard windows, across the 30-day windows, on a coarse grid
  // (so that touches tie in time), and a few after T.
  at: fc
    .oneof(
      fc.integer({ min: -DAY_MS, max: 4 * DAY_MS }),
      fc.integer({ min: 0, max: 40 * DAY_MS }),
      fc.integer({ min: -2, max: 80 }).map((hours) => hours * HOUR_MS),
    )
    .map((before) => T - before),
  campaignId: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
  channel: fc.option(fc.constantFrom('whatsapp', 'telegram', 'sms', 'email'), { nil: null }),
});
const touchesArb = fc.uniqueArray(touchArb, {
  maxLength: 12,
  selector: (touch) => `${touch.type}\0${typeof touch.id}\0${touch.id}`,
});
const valueArb = fc.option(
  fc.record({
    amount: fc.integer({ min: -1_000_000, max: 1_000_000_000 }),
    currency: fc.constantFrom('USD', 'EUR', 'JPY'),
  }),
  { nil: undefined },
);
const optionsArb: fc.Arbitrary<AttributeOptions> = fc.record(
  {
    model: fc.constantFrom(...ATTRIBUTION_MODELS),
    halfLifeMs: fc.integer({ min: 1, max: 30 * DAY_MS }),
    windows: fc.record(
      {
        click: fc.integer({ min: 1, max: 60 * DAY_MS }),
        chat_started: fc.integer({ min: 1, max: 60 * DAY_MS }),
        exposure: fc.integer({ min: 1, max: 5 * DAY_MS }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['model'] },
);
/** One contact's touches and conversion, and the same touches in another order. */
const caseArb = fc
  .record({ id: fc.nat(), touches: touchesArb, value: valueArb })
  .chain(({ id, touches, value }) =>
    fc.shuffledSubarray(touches, { minLength: touches.length, maxLength: touches.length }).map((shuffled) => {
      const conversion: Conversion = value === undefined ? { id, at: T } : { id, at: T, value };
      return { conversion, touches, shuffled };
    }),
  );

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const keys = { by: (touch: Touch): string => touch.channel ?? '(none)' };
const byCampaign = { by: (touch: Touch): string => String(touch.campaignId) };

describe('attribution properties (fast-check)', () => {
  it('credits sum to 1 within 1e-12, or there are none and the conversion is unattributed', () => {
    fc.assert(
      fc.property(caseArb, optionsArb, ({ conversion, touches }, options) => {
        const result = attribute(conversion, touches, options);
        if (result.unattributed) {
          expect(result.credits).toEqual([]);
          expect(result.eligible).toEqual([]);
        } else {
          expect(Math.abs(sum(result.credits.map((c) => c.credit)) - 1)).toBeLessThanOrEqual(1e-12);
        }
        for (const { touch, credit } of result.credits) {
          expect(credit).toBeGreaterThan(0);
          expect(credit).toBeLessThanOrEqual(1);
          expect(result.eligible).toContain(touch);
        }
        for (const touch of result.eligible) expect(touch.at).toBeLessThanOrEqual(T);
        expect(result.immediate).toBe(result.eligible.at(-1) ?? null);
        expect(result.assists).toEqual(result.eligible.slice(0, -1));
      }),
    );
  });

  it('results do not depend on the order of the input touches', () => {
    fc.assert(
      fc.property(caseArb, optionsArb, ({ conversion, touches, shuffled }, options) => {
        expect(attribute(conversion, shuffled, options)).toEqual(attribute(conversion, touches, options));
      }),
    );
  });

  it('aggregates: credited ≤ claimed per key, Σ credited + unattributed = conversions, money exact', () => {
    fc.assert(
      fc.property(fc.array(caseArb, { maxLength: 15 }), optionsArb, (cases, options) => {
        const results = cases.map(({ conversion, touches }) => attribute(conversion, touches, options));
        for (const by of [keys, byCampaign]) {
          const summary = aggregate(results, by);
          for (const row of summary.rows) {
            expect(row.credited).toBeLessThanOrEqual(row.claimed);
            expect(row.immediate).toBeLessThanOrEqual(row.claimed);
            expect(row.assisted).toBeLessThanOrEqual(row.claimed);
            expect(row.immediate + row.assisted).toBe(row.claimed);
            for (const amount of Object.values(row.value)) expect(Number.isInteger(amount)).toBe(true);
          }
          const credited = sum(summary.rows.map((row) => row.credited));
          expect(Math.abs(credited + summary.unattributed.count - results.length)).toBeLessThanOrEqual(1e-9);
          expect(sum(summary.rows.map((row) => row.immediate)) + summary.unattributed.count).toBe(
            results.length,
          );
          expect(sum(summary.rows.map((row) => row.claimed))).toBeGreaterThanOrEqual(
            results.length - summary.unattributed.count,
          );

          const expected = totalsByCurrency(results);
          const got: Record<string, number> = { ...summary.unattributed.value };
          for (const row of summary.rows) {
            for (const [currency, amount] of Object.entries(row.value))
              got[currency] = (got[currency] ?? 0) + amount;
          }
          expect(got).toEqual(expected);
          expect(summary.value).toEqual(expected);
        }
      }),
    );
  });

  it('aggregates do not depend on the order of each conversion’s touches', () => {
    fc.assert(
      fc.property(fc.array(caseArb, { maxLength: 10 }), optionsArb, (cases, options) => {
        const forward = cases.map(({ conversion, touches }) => attribute(conversion, touches, options));
        const shuffled = cases.map(({ conversion, shuffled }) => attribute(conversion, shuffled, options));
        expect(aggregate(shuffled, keys)).toEqual(aggregate(forward, keys));
      }),
    );
  });
});

function totalsByCurrency(results: readonly Attribution[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const { conversion } of results) {
    if (conversion.value === undefined) continue;
    const { currency, amount } = conversion.value;
    totals[currency] = (totals[currency] ?? 0) + amount;
  }
  return totals;
}
