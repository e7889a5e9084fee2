import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as stats from './index.js';

/** The pipeline the compare route and `chatmark compare` run: SRM → compare → verdict. */
function decide(baseline: { n: number; x: number }, variant: { n: number; x: number }) {
  const srm = stats.sampleRatioMismatch([baseline.n, variant.n], [1, 1]);
  const comparison = stats.compareProportions({ baseline, variant });
  const result = stats.verdict({
    decision: comparison,
    conversions: { baseline: baseline.x, variant: variant.x },
    srmPValue: srm.pValue,
  });
  return { srm, comparison, result };
}

const arm = fc.nat({ max: 1_000_000 }).chain((n) => fc.record({ n: fc.constant(n), x: fc.nat({ max: n }) }));

describe('stats public API (index.ts)', () => {
  it('exports every function the compare route needs', () => {
    const api = [
      stats.compareProportions,
      stats.compareMeans,
      stats.pooledZTest,
      stats.poissonTest,
      stats.relativeChange,
      stats.sampleRatioMismatch,
      stats.sampleSizePerArm,
      stats.verdict,
      stats.wilsonInterval,
      stats.normalCdf,
      stats.normalQuantile,
      stats.studentTCdf,
      stats.studentTQuantile,
      stats.chiSquareSurvival,
    ];
    for (const fn of api) expect(typeof fn).toBe('function');
    expect(stats.SRM_P_THRESHOLD).toBe(0.001);
    expect(stats.DEFAULT_MIN_CONVERSIONS).toBe(150);
  });

  it('runs a clear win end to end: even split, 8% → 10% on 10,000 chats per arm → ship', () => {
    const { srm, comparison, result } = decide({ n: 10_000, x: 800 }, { n: 10_000, x: 1_000 });
    expect(srm.mismatch).toBe(false);
    expect(comparison.relativeChange).toBeCloseTo(0.25, 14);
    expect(comparison.ci![0]).toBeGreaterThan(0);
    expect(result).toMatchObject({ verdict: 'ship', rule: 'ship' });
  });

  it('holds a huge lift when the split is broken (spec/metrics.md §3 Verdict rule 1)', () => {
    const { srm, result } = decide({ n: 10_000, x: 800 }, { n: 11_000, x: 2_000 });
    expect(srm.mismatch).toBe(true);
    expect(result).toMatchObject({ verdict: 'hold', rule: 'srm' });
  });

  it('property: for any non-negative integer inputs, nothing in the pipeline is NaN or Infinity', () => {
    const finiteOrNull = (value: unknown): boolean =>
      value === null ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (Array.isArray(value) && value.every(finiteOrNull));
    fc.assert(
      fc.property(arm, arm, (baseline, variant) => {
        const { srm, comparison, result } = decide(baseline, variant);
        for (const value of [...Object.values(comparison), srm.chi2, srm.pValue, ...srm.expected]) {
          expect(finiteOrNull(value)).toBe(true);
        }
        expect(['ship', 'hold', 'rollback']).toContain(result.verdict);
        expect(result.reason).not.toMatch(/NaN|Infinity/);
      }),
      { numRuns: 1000 },
    );
  });
});
