import { describe, expect, it } from 'vitest';
import { lastTouchCredits } from './last-touch.js';
import type { Touch } from './types.js';

const touches = (n: number): Touch[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, type: 'click', at: i, campaignId: null, channel: null }));

describe('last_touch (spec/metrics.md §2 table: cₙ = 1)', () => {
  it.each([1, 2, 5])('n = %d: everything to the last touch', (n) => {
    const credits = lastTouchCredits(touches(n));
    expect(credits).toHaveLength(n);
    expect(credits.at(-1)).toBe(1);
    expect(credits.slice(0, -1).every((credit) => credit === 0)).toBe(true);
  });

  it('n = 0: no credits', () => {
    expect(lastTouchCredits([])).toEqual([]);
  });
});
