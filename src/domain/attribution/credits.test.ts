import { describe, expect, it } from 'vitest';
import { creditsFromWeights } from './credits.js';

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

describe('creditsFromWeights (spec/metrics.md §2: credits sum to 1)', () => {
  it('normalises weights and lets the last share absorb rounding', () => {
    expect(creditsFromWeights([1, 1, 2])).toEqual([0.25, 0.25, 0.5]);
    const thirds = creditsFromWeights([1, 1, 1]);
    expect(thirds[0]).toBe(1 / 3);
    expect(thirds[2]).toBe(1 - (1 / 3 + 1 / 3));
    expect(Math.abs(sum(thirds) - 1)).toBeLessThanOrEqual(1e-12);
  });

  it('keeps a zero weight at zero, including in last place', () => {
    expect(creditsFromWeights([0, 3, 0])).toEqual([0, 1, 0]);
  });

  it('sums to 1 within 1e-12 for many uneven weights', () => {
    const weights = Array.from({ length: 997 }, (_, i) => 1 / (i + 1));
    expect(Math.abs(sum(creditsFromWeights(weights)) - 1)).toBeLessThanOrEqual(1e-12);
  });

  it('gives no credits for no weights', () => {
    expect(creditsFromWeights([])).toEqual([]);
  });

  it.each([
    ['all zero', [0, 0]],
    ['infinite', [1, Number.POSITIVE_INFINITY]],
    ['NaN', [Number.NaN]],
  ])('refuses weights that are %s', (_, weights) => {
    expect(() => creditsFromWeights(weights)).toThrow(RangeError);
  });
});
