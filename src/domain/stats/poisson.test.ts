import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalCdf } from './distributions.js';
import { poissonTest } from './poisson.js';

describe('poissonTest: counts with equal exposure (spec/metrics.md §3)', () => {
  it('z = (v − b)/√(v + b), p = 2Φ(−|z|), relative change (v − b)/b', () => {
    const result = poissonTest(100, 130);
    const z = 30 / Math.sqrt(230);
    expect(result.z).toBeCloseTo(z, 14);
    expect(result.pValue).toBeCloseTo(2 * normalCdf(-z), 14);
    expect(result.relativeChange).toBeCloseTo(0.3, 14);
    // z = 1.9782 > 1.96: just significant at 5%.
    expect(result.pValue!).toBeLessThan(0.05);
    expect(result.pValue!).toBeGreaterThan(0.04);
  });

  it('is antisymmetric: a fall gives the negative z and the same p', () => {
    const up = poissonTest(100, 130);
    const down = poissonTest(130, 100);
    expect(down.z).toBeCloseTo(-up.z!, 14);
    expect(down.pValue).toBe(up.pValue);
  });

  it.each([
    { baseline: 0, variant: 0, expected: { z: null, pValue: null, relativeChange: null } },
    { baseline: 0, variant: 9, expected: { z: 3, pValue: 2 * normalCdf(-3), relativeChange: null } },
    { baseline: 9, variant: 9, expected: { z: 0, pValue: 1, relativeChange: 0 } },
  ])('poissonTest($baseline, $variant) → $expected', ({ baseline, variant, expected }) => {
    expect(poissonTest(baseline, variant)).toEqual(expected);
  });

  it('property: p ∈ [0, 1] and no NaN or Infinity for any non-negative counts', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.nat({ max: 10_000_000 }), (b, v) => {
        const { z, pValue, relativeChange } = poissonTest(b, v);
        for (const value of [z, pValue, relativeChange])
          expect(value === null || Number.isFinite(value)).toBe(true);
        if (pValue !== null) expect(pValue >= 0 && pValue <= 1).toBe(true);
      }),
    );
  });

  it.each([
    { baseline: -1, variant: 3, field: 'baseline' },
    { baseline: 3, variant: 2.5, field: 'variant' },
    { baseline: Number.NaN, variant: 3, field: 'baseline' },
  ])('refuses ($baseline, $variant) with invalid_count on $field', ({ baseline, variant, field }) => {
    expect(() => poissonTest(baseline, variant)).toThrowError(
      expect.objectContaining({ code: 'invalid_count', field }),
    );
  });
});
