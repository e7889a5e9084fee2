import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/attribution.json' with { type: 'json' };
import { attribute } from './attribute.js';
import { billboardSelection } from './billboard.js';
import { TOUCH_TYPES, type Touch, type TouchType } from './types.js';
import { BILLBOARD_DEFAULT_WINDOWS, HOUR_MS, parseWindow } from './windows.js';

const T = Date.UTC(2025, 5, 1, 12);
const isTouchType = (value: string): value is TouchType => (TOUCH_TYPES as readonly string[]).includes(value);

/** A touch of test/golden/attribution.json at T − `before`. */
function touchOf(spec: { id: number; type: string; before: string; campaignId: number | null }): Touch {
  if (!isTouchType(spec.type)) throw new Error(`golden touch type ${spec.type}`);
  return {
    id: spec.id,
    type: spec.type,
    at: T - parseWindow(spec.before),
    campaignId: spec.campaignId,
    channel: 'sms',
  };
}
const ids = (touches: readonly Touch[]): Array<string | number> => touches.map((touch) => touch.id);
const send = (id: number, campaignId: number, before: number): Touch => ({
  id,
  type: 'exposure',
  at: T - before,
  campaignId,
  channel: 'sms',
});
const clickOf = (id: number, campaignId: number, before: number): Touch => ({
  ...send(id, campaignId, before),
  type: 'click',
});

describe('billboard (spec/metrics.md §2, after Instasent): golden scenarios', () => {
  it.each(golden.billboard)('$name ($spec)', (scenario) => {
    const touches = scenario.touches.map(touchOf);
    const selection = billboardSelection(T, touches, BILLBOARD_DEFAULT_WINDOWS);
    expect(selection.credited?.id ?? null).toBe(scenario.credited);
    expect(ids(selection.eligible)).toEqual(scenario.eligible);

    const result = attribute({ id: 'order', at: T }, touches, { model: 'billboard' });
    expect(result.credits.map((credit) => [credit.touch.id, credit.credit])).toEqual(
      scenario.credited === null ? [] : [[scenario.credited, 1]],
    );
    expect(result.immediate?.id ?? null).toBe(scenario.immediate);
    expect(ids(result.assists)).toEqual(scenario.assists);
    expect(result.unattributed).toBe(scenario.eligible.length === 0);
  });
});

describe('billboard windows', () => {
  it('follows window overrides: a 48 h exposure window needs no click at 30 h', () => {
    const touches = [send(1, 10, 30 * HOUR_MS)];
    expect(attribute({ id: 1, at: T }, touches, { model: 'billboard' }).unattributed).toBe(true);
    const wide = attribute({ id: 1, at: T }, touches, { model: 'billboard', windows: { exposure: '48h' } });
    expect(wide.credits.map((credit) => credit.touch.id)).toEqual([1]);
  });

  it('a click outside the click window does not count, even after an exposure-eligible send', () => {
    const windows = { ...BILLBOARD_DEFAULT_WINDOWS, exposure: 100 * HOUR_MS };
    const selection = billboardSelection(
      T,
      [send(1, 10, 90 * HOUR_MS), clickOf(2, 10, 80 * HOUR_MS)],
      windows,
    );
    expect(selection.credited?.id).toBe(1);
    expect(ids(selection.eligible)).toEqual([1]);
  });

  it('a click after T is ignored', () => {
    const selection = billboardSelection(
      T,
      [send(1, 10, 30 * HOUR_MS), clickOf(2, 10, -HOUR_MS)],
      BILLBOARD_DEFAULT_WINDOWS,
    );
    expect(selection).toEqual({ eligible: [], credited: null });
  });

  it('sends at the same instant: the higher id wins, deterministically', () => {
    const selection = billboardSelection(
      T,
      [send(2, 20, HOUR_MS), send(1, 10, HOUR_MS)],
      BILLBOARD_DEFAULT_WINDOWS,
    );
    expect(selection.credited?.id).toBe(2);
  });
});
