import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/metrics.json' with { type: 'json' };
import { relativeChange } from './relative-change.js';

describe('relativeChange (DESIGN.md funnel table, spec/metrics.md §3)', () => {
  it.each(golden.relativeChange)('$baseline → $variant is $relativeChange ($spec)', (vector) => {
    const got = relativeChange(vector.baseline, vector.variant)!;
    expect(Math.abs(got - vector.relativeChange)).toBeLessThanOrEqual(0.5 * 10 ** -vector.decimals);
    expect(`${(got * 100).toFixed(2)}%`).toBe('4.00%');
  });

  it.each([
    [100, 50, -0.5],
    [100, 100, 0],
    [0.08, 0.18, 1.25],
    [-0.5, -0.25, 0.5], // ROI −50% → −25% went up: +50% (|baseline| as in GrowthBook's lift)
    [-2, -3, -0.5],
  ])('relativeChange(%s, %s) = %s', (baseline, variant, expected) => {
    expect(relativeChange(baseline, variant)).toBeCloseTo(expected, 14);
  });

  it('is null for a zero baseline, never Infinity or NaN', () => {
    expect(relativeChange(0, 5)).toBeNull();
    expect(relativeChange(0, 0)).toBeNull();
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (baseline, variant) => {
        const got = relativeChange(baseline, variant);
        expect(got === null ? baseline === 0 : Number.isFinite(got)).toBe(true);
      }),
    );
  });

  it.each([
    { baseline: Number.NaN, variant: 1, field: 'baseline' },
    { baseline: 1, variant: Number.POSITIVE_INFINITY, field: 'variant' },
  ])('refuses non-finite input with invalid_number on $field', ({ baseline, variant, field }) => {
    expect(() => relativeChange(baseline, variant)).toThrowError(
      expect.objectContaining({ code: 'invalid_number', field }),
    );
  });
});
