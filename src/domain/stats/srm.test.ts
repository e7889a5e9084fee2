import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/metrics.json' with { type: 'json' };
import { chiSquareSurvival } from './distributions.js';
import { SRM_P_THRESHOLD, sampleRatioMismatch } from './srm.js';

describe('sampleRatioMismatch (spec/metrics.md §3)', () => {
  it.each(golden.srm)('$observed at $weights → p $pValue ($spec)', (vector) => {
    const result = sampleRatioMismatch(vector.observed, vector.weights);
    expect(result.df).toBe(vector.observed.length - 1);
    expect(Math.abs(result.pValue! - vector.pValue)).toBeLessThanOrEqual(0.5 * 10 ** -vector.decimals);
    expect(result.mismatch).toBe(vector.mismatch);
  });

  it('computes χ² = Σ(O − E)²/E with E = w/Σw · N', () => {
    const result = sampleRatioMismatch([1000, 1200], [50, 50]);
    expect(result.expected).toEqual([1100, 1100]);
    expect(result.chi2).toBeCloseTo(20_000 / 1100, 12);
    const weighted = sampleRatioMismatch([310, 98], [75, 25]);
    expect(weighted.expected).toEqual([306, 102]);
    expect(weighted.chi2).toBeCloseTo(16 / 306 + 16 / 102, 14);
  });

  it('takes k arms with k − 1 degrees of freedom, and weights need not sum to 1 or 100', () => {
    const result = sampleRatioMismatch([500, 480, 1020], [1, 1, 2]);
    expect(result.df).toBe(2);
    expect(result.expected).toEqual([500, 500, 1000]);
    expect(result.chi2).toBeCloseTo(0 + 400 / 500 + 400 / 1000, 12);
    expect(result.pValue).toBeCloseTo(chiSquareSurvival(1.2, 2), 14);
    expect(result.mismatch).toBe(false);
  });

  it('warns strictly below p = 0.001', () => {
    expect(SRM_P_THRESHOLD).toBe(0.001);
    // χ²(1) crosses p = 0.001 at 10.83: 5164/4836 gives χ² 10.76 (p 0.00104), 5165/4835 gives 10.89 (p 0.00097).
    const above = sampleRatioMismatch([5164, 4836], [1, 1]);
    const below = sampleRatioMismatch([5165, 4835], [1, 1]);
    expect(above.pValue).toBeCloseTo(0.0010380708664139455, 15);
    expect(above.mismatch).toBe(false);
    expect(below.pValue).toBeCloseTo(0.0009668482847675553, 15);
    expect(below.mismatch).toBe(true);
  });

  it('has nothing to test when no unit was observed', () => {
    expect(sampleRatioMismatch([0, 0], [50, 50])).toEqual({
      chi2: null,
      df: 1,
      pValue: null,
      mismatch: false,
      expected: [0, 0],
    });
  });

  it('property: p ∈ [0, 1] and no NaN or Infinity for any counts and positive weights', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 1_000_000 }), fc.integer({ min: 1, max: 100 })), {
          minLength: 2,
          maxLength: 6,
        }),
        (arms) => {
          const result = sampleRatioMismatch(
            arms.map(([count]) => count),
            arms.map(([, weight]) => weight),
          );
          if (result.pValue === null) return;
          expect(Number.isFinite(result.chi2!) && Number.isFinite(result.pValue)).toBe(true);
          expect(result.pValue >= 0 && result.pValue <= 1).toBe(true);
          expect(result.mismatch).toBe(result.pValue < 0.001);
        },
      ),
    );
  });

  it.each([
    { observed: [10], weights: [1], code: 'invalid_count', field: 'observed' },
    { observed: [10, 20], weights: [1, 1, 1], code: 'invalid_weights', field: 'weights' },
    { observed: [10, -1], weights: [1, 1], code: 'invalid_count', field: 'observed[1]' },
    { observed: [10, 2.5], weights: [1, 1], code: 'invalid_count', field: 'observed[1]' },
    { observed: [10, 20], weights: [0, 1], code: 'invalid_weights', field: 'weights[0]' },
    { observed: [10, 20], weights: [1, Number.NaN], code: 'invalid_weights', field: 'weights[1]' },
  ])('refuses $observed at $weights with $code on $field', ({ observed, weights, code, field }) => {
    expect(() => sampleRatioMismatch(observed, weights)).toThrowError(
      expect.objectContaining({ code, field }),
    );
  });
});
