import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/attribution.json' with { type: 'json' };
import { ChatmarkError } from '../errors.js';
import { attribute } from './attribute.js';
import {
  ATTRIBUTION_MODELS,
  type AttributeOptions,
  type Conversion,
  TOUCH_TYPES,
  type Touch,
  type TouchType,
} from './types.js';
import {
  BILLBOARD_DEFAULT_WINDOWS,
  DAY_MS,
  DEFAULT_HALF_LIFE_MS,
  DEFAULT_WINDOWS,
  HOUR_MS,
  parseWindow,
} from './windows.js';

const T = Date.UTC(2025, 5, 1, 12);
const isTouchType = (value: string): value is TouchType => (TOUCH_TYPES as readonly string[]).includes(value);

interface GoldenTouch {
  id: number;
  type: string;
  before?: string;
  beforeMs?: number;
  campaignId?: number | null;
}
/** A touch of test/golden/attribution.json at T − `before`. */
function touchOf(spec: GoldenTouch): Touch {
  if (!isTouchType(spec.type)) throw new Error(`golden touch type ${spec.type}`);
  const before = spec.beforeMs ?? parseWindow(spec.before ?? '');
  return { id: spec.id, type: spec.type, at: T - before, campaignId: spec.campaignId ?? null, channel: null };
}
const ids = (touches: readonly Touch[]): Array<string | number> => touches.map((touch) => touch.id);

const click = (id: number, before: number, extra: Partial<Touch> = {}): Touch => ({
  id,
  type: 'click',
  at: T - before,
  campaignId: 1,
  channel: 'whatsapp',
  ...extra,
});

describe('attribute: golden journeys (test/golden/attribution.json)', () => {
  it.each(golden.journeys)('$name ($spec)', (journey) => {
    const model = ATTRIBUTION_MODELS.find((name) => name === journey.model);
    if (model === undefined) throw new Error(`golden model ${journey.model}`);
    const options: AttributeOptions = { model };
    if ('windows' in journey) options.windows = journey.windows;
    const result = attribute({ id: 'conversion', at: T }, journey.touches.map(touchOf), options);

    expect(result.credits.map((credit) => credit.touch.id)).toEqual(
      journey.credits.map((credit) => credit.id),
    );
    const precision = 'precision' in journey ? journey.precision : 12;
    result.credits.forEach((credit, i) => {
      expect(credit.credit).toBeCloseTo(journey.credits[i]!.credit, precision);
    });
    expect(result.immediate?.id ?? null).toBe(journey.immediate);
    expect(ids(result.assists)).toEqual(journey.assists);
    expect(result.unattributed).toBe(journey.credits.length === 0);
  });
});

describe('attribute: result shape (spec/metrics.md §2, DESIGN.md "Conversions and attribution")', () => {
  const conversion: Conversion = { id: 7, at: T, value: { amount: 8500, currency: 'USD' } };

  it('records the model, the resolved windows and the half-life with the result', () => {
    const decay = attribute(conversion, [], { model: 'time_decay', windows: { click: '7d' } });
    expect(decay.model).toBe('time_decay');
    expect(decay.windows).toEqual({ ...DEFAULT_WINDOWS, click: 7 * DAY_MS });
    expect(decay.halfLifeMs).toBe(DEFAULT_HALF_LIFE_MS);
    expect(decay.conversion).toBe(conversion);

    const custom = attribute(conversion, [], { model: 'time_decay', halfLifeMs: 3 * DAY_MS });
    expect(custom.halfLifeMs).toBe(3 * DAY_MS);

    const linear = attribute(conversion, [], { model: 'linear', halfLifeMs: 3 * DAY_MS });
    expect(linear.halfLifeMs).toBeNull();
    expect(attribute(conversion, [], { model: 'billboard' }).windows).toEqual(BILLBOARD_DEFAULT_WINDOWS);
  });

  it('n = 0: unattributed, no credits, no immediate, no assists', () => {
    const result = attribute(conversion, [click(1, 40 * DAY_MS)], { model: 'linear' });
    expect(result).toMatchObject({
      eligible: [],
      credits: [],
      immediate: null,
      assists: [],
      unattributed: true,
    });
  });

  it('lists every eligible touch in order, and only non-zero credits', () => {
    const touches = [click(3, 1 * DAY_MS), click(1, 3 * DAY_MS), click(2, 2 * DAY_MS)];
    const result = attribute(conversion, touches, { model: 'first_touch' });
    expect(ids(result.eligible)).toEqual([1, 2, 3]);
    expect(result.credits).toEqual([{ touch: touches[1], credit: 1 }]);
    expect(result.immediate).toBe(touches[0]);
    expect(ids(result.assists)).toEqual([1, 2]);
  });

  it('does not depend on the order of the touches', () => {
    const touches = [
      click(1, 5 * DAY_MS),
      click(2, 2 * HOUR_MS, { type: 'chat_started' }),
      click(3, 2 * HOUR_MS),
      click(4, 2 * HOUR_MS, { type: 'exposure' }),
    ];
    for (const model of ATTRIBUTION_MODELS) {
      const forward = attribute(conversion, touches, { model });
      const backward = attribute(conversion, [...touches].reverse(), { model });
      expect(backward).toEqual(forward);
    }
  });

  it('accepts string ids and equal ids of different types', () => {
    const touches: Touch[] = [
      click(1, DAY_MS),
      { ...click(1, DAY_MS), type: 'chat_started' },
      click(1, DAY_MS, { id: 'x' }),
    ];
    const result = attribute(conversion, touches, { model: 'linear' });
    expect(result.eligible.map((touch) => `${touch.type}:${touch.id}`)).toEqual([
      'chat_started:1',
      'click:1',
      'click:x',
    ]);
  });
});

describe('attribute: refused input (table; code and field)', () => {
  const ok: Conversion = { id: 1, at: T };
  const cases: Array<[string, () => unknown, string, string]> = [
    [
      'unknown model',
      () => attribute(ok, [], { model: 'data_driven' as 'linear' }),
      'invalid_model',
      'model',
    ],
    [
      'zero window',
      () => attribute(ok, [], { model: 'linear', windows: { click: 0 } }),
      'invalid_window',
      'window',
    ],
    [
      'bad window string',
      () => attribute(ok, [], { model: 'billboard', windows: { exposure: '1 day' } }),
      'invalid_window',
      'window',
    ],
    [
      'zero half-life',
      () => attribute(ok, [], { model: 'time_decay', halfLifeMs: 0 }),
      'invalid_half_life',
      'halfLifeMs',
    ],
    [
      'NaN half-life',
      () => attribute(ok, [], { model: 'time_decay', halfLifeMs: Number.NaN }),
      'invalid_half_life',
      'halfLifeMs',
    ],
    [
      'conversion time NaN',
      () => attribute({ id: 1, at: Number.NaN }, [], { model: 'linear' }),
      'invalid_conversion',
      'conversion.at',
    ],
    [
      'fractional amount',
      () => attribute({ ...ok, value: { amount: 12.5, currency: 'USD' } }, [], { model: 'linear' }),
      'invalid_money',
      'conversion.value.amount',
    ],
    [
      'lowercase currency',
      () => attribute({ ...ok, value: { amount: 1250, currency: 'usd' } }, [], { model: 'linear' }),
      'invalid_money',
      'conversion.value.currency',
    ],
    [
      'unknown touch type',
      () => attribute(ok, [click(1, 0), click(2, 0, { type: 'impression' as 'click' })], { model: 'linear' }),
      'invalid_touch',
      'touches[1].type',
    ],
    [
      'touch time not finite',
      () => attribute(ok, [click(1, Number.POSITIVE_INFINITY)], { model: 'linear' }),
      'invalid_touch',
      'touches[0].at',
    ],
    [
      'same touch twice',
      () => attribute(ok, [click(1, 0), click(2, 0), click(1, HOUR_MS)], { model: 'last_touch' }),
      'duplicate_touch',
      'touches[2].id',
    ],
  ];

  it.each(cases)('%s', (_, run, code, field) => {
    let error: unknown;
    try {
      run();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ChatmarkError);
    expect(error).toMatchObject({ code, field });
  });
});
