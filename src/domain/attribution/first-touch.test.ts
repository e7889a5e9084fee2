import { describe, expect, it } from 'vitest';
import { firstTouchCredits } from './first-touch.js';
import type { Touch } from './types.js';

const touches = (n: number): Touch[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, type: 'click', at: i, campaignId: null, channel: null }));

describe('first_touch (spec/metrics.md §2 table: c₁ = 1)', () => {
  it.each([1, 2, 5])('n = %d: everything to the first touch', (n) => {
    const credits = firstTouchCredits(touches(n));
    expect(credits).toHaveLength(n);
    expect(credits[0]).toBe(1);
    expect(credits.slice(1).every((credit) => credit === 0)).toBe(true);
  });

  it('n = 0: no credits', () => {
    expect(firstTouchCredits([])).toEqual([]);
  });
});
