import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/attribution.json' with { type: 'json' };
import { positionBasedCredits } from './position-based.js';
import type { Touch } from './types.js';

const touches = (n: number): Touch[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, type: 'click', at: i, campaignId: null, channel: null }));

describe('position_based (spec/metrics.md §2: 40/20/40)', () => {
  it.each(golden.positionBased)('$spec', (vector) => {
    const credits = positionBasedCredits(touches(vector.n));
    expect(credits).toHaveLength(vector.credits.length);
    credits.forEach((credit, i) => {
      expect(credit).toBeCloseTo(vector.credits[i]!, vector.precision);
    });
  });

  it.each([3, 4, 10, 50])('n = %d: ends 0.4 each, middles 0.2/(n − 2), sum 1', (n) => {
    const credits = positionBasedCredits(touches(n));
    expect(credits[0]).toBeCloseTo(0.4, 12);
    expect(credits.at(-1)).toBeCloseTo(0.4, 12);
    for (const middle of credits.slice(1, -1)) expect(middle).toBeCloseTo(0.2 / (n - 2), 12);
    expect(Math.abs(credits.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(1e-12);
  });

  it('n = 0: no credits', () => {
    expect(positionBasedCredits([])).toEqual([]);
  });
});
