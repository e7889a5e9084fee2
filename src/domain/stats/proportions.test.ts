import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/metrics.json' with { type: 'json' };
import { ChatmarkError } from '../errors.js';
import { compareMeans, compareProportions, pooledZTest } from './proportions.js';

const withinDecimals = (got: number | null, expected: number, decimals: number): boolean =>
  got !== null && Math.abs(got - expected) <= 0.5 * 10 ** -decimals + 1e-15;

const arm = fc.nat({ max: 200_000 }).chain((n) => fc.record({ n: fc.constant(n), x: fc.nat({ max: n }) }));
const finiteOrNull = (value: number | null): boolean => value === null || Number.isFinite(value);

describe('compareProportions: GrowthBook frequentist relative lift (spec/metrics.md §3)', () => {
  it.each(golden.growthbook.proportions)(
    '$baseline.x/$baseline.n vs $variant.x/$variant.n ($spec)',
    (vector) => {
      const result = compareProportions({ baseline: vector.baseline, variant: vector.variant });
      expect(result.baselineRate).toBe(vector.baseline.x / vector.baseline.n);
      expect(result.variantRate).toBe(vector.variant.x / vector.variant.n);
      expect(withinDecimals(result.relativeChange, vector.relativeChange, vector.decimals)).toBe(true);
      expect(withinDecimals(result.ci?.[0] ?? null, vector.ci[0]!, vector.decimals)).toBe(true);
      expect(withinDecimals(result.ci?.[1] ?? null, vector.ci[1]!, vector.decimals)).toBe(true);
      expect(withinDecimals(result.se, vector.se, vector.decimals)).toBe(true);
      expect(withinDecimals(result.pValue, vector.pValue, vector.decimals)).toBe(true);
    },
  );

  it('computes μ, σ² = μ(1 − μ), Var(Δ) and Welch–Satterthwaite ν exactly as §3 writes them', () => {
    const result = compareProportions({ baseline: { n: 1000, x: 100 }, variant: { n: 1200, x: 150 } });
    const [muC, muT, nC, nT] = [0.1, 0.125, 1000, 1200];
    const [varC, varT] = [muC * (1 - muC), muT * (1 - muT)];
    const variance = varT / (muC ** 2 * nT) + (varC * muT ** 2) / (muC ** 4 * nC);
    const df =
      (varT / nT + varC / nC) ** 2 / (varT ** 2 / (nT ** 2 * (nT - 1)) + varC ** 2 / (nC ** 2 * (nC - 1)));
    expect(result.relativeChange).toBeCloseTo(0.25, 14);
    expect(result.se).toBeCloseTo(Math.sqrt(variance), 14);
    expect(result.df).toBeCloseTo(df, 8);
    // The interval is symmetric around Δ.
    expect(result.ci![0] + result.ci![1]).toBeCloseTo(2 * 0.25, 12);
  });

  it('alpha sets the coverage: a 99% interval is wider than a 95% one, same p-value', () => {
    const arms = { baseline: { n: 5000, x: 400 }, variant: { n: 5000, x: 470 } };
    const at95 = compareProportions(arms);
    const at99 = compareProportions(arms, { alpha: 0.01 });
    expect(at99.ci![0]).toBeLessThan(at95.ci![0]);
    expect(at99.ci![1]).toBeGreaterThan(at95.ci![1]);
    expect(at99.pValue).toBe(at95.pValue);
  });

  it.each([
    {
      name: 'baseline rate 0: no relative change',
      arms: { baseline: { n: 100, x: 0 }, variant: { n: 100, x: 5 } },
      expected: { baselineRate: 0, variantRate: 0.05, relativeChange: null },
    },
    {
      name: 'empty baseline arm',
      arms: { baseline: { n: 0, x: 0 }, variant: { n: 100, x: 5 } },
      expected: { baselineRate: null, variantRate: 0.05, relativeChange: null },
    },
    {
      name: 'empty variant arm',
      arms: { baseline: { n: 100, x: 5 }, variant: { n: 0, x: 0 } },
      expected: { baselineRate: 0.05, variantRate: null, relativeChange: null },
    },
    {
      name: 'n < 2 in an arm: no variance estimate',
      arms: { baseline: { n: 1, x: 1 }, variant: { n: 100, x: 5 } },
      expected: { baselineRate: 1, variantRate: 0.05, relativeChange: -0.95 },
    },
    {
      name: 'variant rate 0: zero variance',
      arms: { baseline: { n: 100, x: 10 }, variant: { n: 100, x: 0 } },
      expected: { baselineRate: 0.1, variantRate: 0, relativeChange: -1 },
    },
    {
      name: 'both arms converted everyone',
      arms: { baseline: { n: 50, x: 50 }, variant: { n: 60, x: 60 } },
      expected: { baselineRate: 1, variantRate: 1, relativeChange: 0 },
    },
  ])('degenerate: $name → nulls, never NaN or Infinity', ({ arms, expected }) => {
    expect(compareProportions(arms)).toEqual({ ...expected, ci: null, pValue: null, se: null, df: null });
  });

  it('property: p ∈ [0, 1], the CI contains Δ, and nothing is NaN or Infinity', () => {
    fc.assert(
      fc.property(arm, arm, (baseline, variant) => {
        const result = compareProportions({ baseline, variant });
        for (const value of [
          result.baselineRate,
          result.variantRate,
          result.relativeChange,
          result.pValue,
          result.se,
          result.df,
        ]) {
          expect(finiteOrNull(value)).toBe(true);
        }
        if (result.pValue !== null) {
          expect(result.pValue).toBeGreaterThanOrEqual(0);
          expect(result.pValue).toBeLessThanOrEqual(1);
        }
        if (result.ci !== null) {
          expect(Number.isFinite(result.ci[0]) && Number.isFinite(result.ci[1])).toBe(true);
          expect(result.ci[0]).toBeLessThanOrEqual(result.relativeChange!);
          expect(result.ci[1]).toBeGreaterThanOrEqual(result.relativeChange!);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    {
      arms: { baseline: { n: 10, x: 11 }, variant: { n: 10, x: 1 } },
      code: 'invalid_count',
      field: 'baseline.x',
    },
    {
      arms: { baseline: { n: -1, x: 0 }, variant: { n: 10, x: 1 } },
      code: 'invalid_count',
      field: 'baseline.n',
    },
    {
      arms: { baseline: { n: 10, x: 1 }, variant: { n: 10.5, x: 1 } },
      code: 'invalid_count',
      field: 'variant.n',
    },
    {
      arms: { baseline: { n: 10, x: 1 }, variant: { n: 10, x: Number.NaN } },
      code: 'invalid_count',
      field: 'variant.x',
    },
  ])('refuses $arms with $code on $field', ({ arms, code, field }) => {
    const call = () => compareProportions(arms);
    expect(call).toThrowError(ChatmarkError);
    expect(call).toThrowError(expect.objectContaining({ code, field }));
  });

  it.each([0, 1, -0.05, Number.NaN])('refuses alpha = %s with invalid_probability on alpha', (alpha) => {
    const call = () => compareProportions({ baseline: { n: 10, x: 1 }, variant: { n: 10, x: 2 } }, { alpha });
    expect(call).toThrowError(expect.objectContaining({ code: 'invalid_probability', field: 'alpha' }));
  });
});

describe('compareMeans: the same test on a mean metric (spec/metrics.md §3)', () => {
  it.each(golden.growthbook.means)('$spec', (vector) => {
    const result = compareMeans({ baseline: vector.baseline, variant: vector.variant });
    expect(result.baselineMean).toBe(vector.baseline.mean);
    expect(result.variantMean).toBe(vector.variant.mean);
    expect(withinDecimals(result.relativeChange, vector.relativeChange, vector.decimals)).toBe(true);
    expect(withinDecimals(result.ci?.[0] ?? null, vector.ci[0]!, vector.decimals)).toBe(true);
    expect(withinDecimals(result.ci?.[1] ?? null, vector.ci[1]!, vector.decimals)).toBe(true);
    expect(withinDecimals(result.se, vector.se, vector.decimals)).toBe(true);
    expect(withinDecimals(result.pValue, vector.pValue, vector.decimals)).toBe(true);
  });

  it('uses |μ_C| so a negative baseline mean that rises reads as a positive change', () => {
    const result = compareMeans({
      baseline: { n: 100, mean: -2, variance: 1 },
      variant: { n: 100, mean: -1, variance: 1 },
    });
    expect(result.relativeChange).toBe(0.5);
  });

  it.each([
    {
      arms: { baseline: { n: 10, mean: 1, variance: -1 }, variant: { n: 10, mean: 1, variance: 1 } },
      field: 'baseline.variance',
      code: 'invalid_number',
    },
    {
      arms: { baseline: { n: 10, mean: Number.NaN, variance: 1 }, variant: { n: 10, mean: 1, variance: 1 } },
      field: 'baseline.mean',
      code: 'invalid_number',
    },
    {
      arms: { baseline: { n: 10, mean: 1, variance: 1 }, variant: { n: 2.5, mean: 1, variance: 1 } },
      field: 'variant.n',
      code: 'invalid_count',
    },
  ])('refuses bad summaries with $code on $field', ({ arms, code, field }) => {
    expect(() => compareMeans(arms)).toThrowError(expect.objectContaining({ code, field }));
  });
});

describe('pooledZTest (spec/metrics.md §3)', () => {
  it.each(golden.pooledZTest)('$x1/$n1 vs $x2/$n2 → z $z, p $pValue ($spec)', (vector) => {
    const result = pooledZTest(vector.x1, vector.n1, vector.x2, vector.n2);
    expect(withinDecimals(result.z, vector.z, vector.decimals)).toBe(true);
    expect(withinDecimals(result.pValue, vector.pValue, vector.decimals)).toBe(true);
  });

  it('is antisymmetric in its samples', () => {
    const forward = pooledZTest(5, 83, 12, 99);
    const backward = pooledZTest(12, 99, 5, 83);
    expect(backward.z).toBeCloseTo(-forward.z!, 14);
    expect(backward.pValue).toBeCloseTo(forward.pValue!, 14);
  });

  it.each([
    [0, 0, 5, 10],
    [5, 10, 0, 0],
    [0, 10, 0, 20],
    [10, 10, 20, 20],
  ])('pooledZTest(%s, %s, %s, %s) → nulls (an empty arm or zero pooled variance)', (x1, n1, x2, n2) => {
    expect(pooledZTest(x1, n1, x2, n2)).toEqual({ z: null, pValue: null });
  });

  it('property: p ∈ [0, 1] and no NaN or Infinity for any counts', () => {
    fc.assert(
      fc.property(arm, arm, (a, b) => {
        const { z, pValue } = pooledZTest(a.x, a.n, b.x, b.n);
        expect(finiteOrNull(z) && finiteOrNull(pValue)).toBe(true);
        if (pValue !== null) expect(pValue >= 0 && pValue <= 1).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    { call: () => pooledZTest(6, 5, 1, 5), field: 'sample1.x' },
    { call: () => pooledZTest(1, 5, 1, -5), field: 'sample2.n' },
  ])('refuses bad counts with invalid_count on $field', ({ call, field }) => {
    expect(call).toThrowError(expect.objectContaining({ code: 'invalid_count', field }));
  });
});
