import { describe, expect, it } from 'vitest';
import { linearCredits } from './linear.js';
import type { Touch } from './types.js';

const touches = (n: number): Touch[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, type: 'click', at: i, campaignId: null, channel: null }));

describe('linear (spec/metrics.md §2 table: cᵢ = 1/n)', () => {
  it.each([1, 2, 3, 4, 7])('n = %d: 1/n each, summing to 1', (n) => {
    const credits = linearCredits(touches(n));
    expect(credits).toHaveLength(n);
    for (const credit of credits) expect(credit).toBeCloseTo(1 / n, 12);
    expect(Math.abs(credits.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(1e-12);
  });

  it('n = 0: no credits', () => {
    expect(linearCredits([])).toEqual([]);
  });
});
