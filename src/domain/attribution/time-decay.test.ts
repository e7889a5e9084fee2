import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/attribution.json' with { type: 'json' };
import { timeDecayCredits } from './time-decay.js';
import type { Touch } from './types.js';
import { DAY_MS, parseWindow } from './windows.js';

const T = Date.UTC(2025, 5, 1, 12);
const clickAt = (at: number, id: number): Touch => ({
  id,
  type: 'click',
  at,
  campaignId: null,
  channel: null,
});

describe('time_decay (spec/metrics.md §2: wᵢ = 2^(−Δᵢ/H), cᵢ = wᵢ/Σw)', () => {
  it.each(golden.timeDecay)('$spec', (vector) => {
    const touches = vector.before.map((before, i) => clickAt(T - parseWindow(before), i));
    const credits = timeDecayCredits(touches, T, parseWindow(vector.halfLife));
    expect(credits).toHaveLength(vector.credits.length);
    credits.forEach((credit, i) => {
      expect(credit).toBeCloseTo(vector.credits[i]!, vector.precision);
    });
  });

  it('a touch H earlier gets exactly half the credit (Google Ads: 8 d vs 1 d, H = 7 d)', () => {
    const [older, newer] = timeDecayCredits([clickAt(T - 8 * DAY_MS, 1), clickAt(T - DAY_MS, 2)], T);
    expect(older! / newer!).toBeCloseTo(0.5, 12);
  });

  it('uses the half-life it is given', () => {
    const credits = timeDecayCredits([clickAt(T - 2 * DAY_MS, 1), clickAt(T - DAY_MS, 2)], T, DAY_MS);
    expect(credits[0]).toBeCloseTo(1 / 3, 12);
    expect(credits[1]).toBeCloseTo(2 / 3, 12);
  });

  it('touches at the same distance share equally', () => {
    const credits = timeDecayCredits([clickAt(T - DAY_MS, 1), clickAt(T - DAY_MS, 2)], T);
    expect(credits).toEqual([0.5, 0.5]);
  });

  it('never divides by zero when every raw weight would underflow (tiny H, old touches)', () => {
    const credits = timeDecayCredits([clickAt(T - 30 * DAY_MS, 1), clickAt(T - 29 * DAY_MS, 2)], T, 1);
    expect(credits).toEqual([0, 1]);
  });
});
