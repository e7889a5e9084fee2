import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateMinorUnits } from './allocate.js';

describe('allocateMinorUnits (largest remainder; DESIGN.md: money in integer minor units)', () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [8500, [0.4, 0.1, 0.1, 0.4], [3400, 850, 850, 3400]],
    [1, [0.5, 0.5], [1, 0]],
    [5, [0.1, 0.6, 0.3], [1, 3, 1]],
    [0, [0.3, 0.7], [0, 0]],
    [-100, [1, 1, 1], [-34, -33, -33]],
    [7, [0, 1, 0], [0, 7, 0]],
  ])('%d over %j → %j', (amount, weights, parts) => {
    expect(allocateMinorUnits(amount, weights)).toEqual(parts);
  });

  it('always sums exactly to the amount, each part within one unit of its quota', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }),
        (amount, raw) => {
          const weights = raw.some((w) => w > 0) ? raw : [...raw, 1];
          const parts = allocateMinorUnits(amount, weights);
          const total = weights.reduce((a, b) => a + b, 0);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(amount);
          parts.forEach((part, i) => {
            expect(Number.isInteger(part)).toBe(true);
            expect(Math.abs(part - (amount * weights[i]!) / total)).toBeLessThan(1.001);
            if (weights[i] === 0) expect(part).toBe(0);
          });
        },
      ),
    );
  });

  it.each([
    ['fractional amount', 1.5, [1]],
    ['no weights', 10, []],
    ['all-zero weights', 10, [0, 0]],
    ['negative weight', 10, [2, -1]],
  ])('refuses %s', (_, amount, weights) => {
    expect(() => allocateMinorUnits(amount, weights)).toThrow(RangeError);
  });
});
