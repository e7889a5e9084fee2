import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/metrics.json' with { type: 'json' };
import { ChatmarkError } from '../errors.js';
import { normalQuantile } from './distributions.js';
import { wilsonInterval, Z_95 } from './wilson.js';

const withinDecimals = (got: number, expected: number, decimals: number): boolean =>
  Math.abs(got - expected) <= 0.5 * 10 ** -decimals + 1e-15;

const countAndTotal = fc.nat({ max: 1_000_000 }).chain((n) => fc.tuple(fc.nat({ max: n }), fc.constant(n)));

describe('wilsonInterval (spec/metrics.md §4)', () => {
  it.each(golden.wilson)('$x/$n → $interval ($spec)', ({ x, n, interval, decimals }) => {
    const got = wilsonInterval(x, n);
    if (interval === null) {
      expect(got).toBeNull();
      return;
    }
    expect(got).not.toBeNull();
    const [low, high] = got!;
    expect(withinDecimals(low, interval[0]!, decimals)).toBe(true);
    expect(withinDecimals(high, interval[1]!, decimals)).toBe(true);
  });

  it('defaults z to Φ⁻¹(0.975), which the spec rounds to 1.959964 (the vectors need the full value)', () => {
    expect(Math.abs(Z_95 - normalQuantile(0.975))).toBeLessThan(1e-15);
    expect(Z_95.toFixed(6)).toBe('1.959964');
    // With the rounded z, 18/20 misses the R vector's 10th decimal by 2e-9: R used qnorm(0.975).
    const [roundedLow] = wilsonInterval(18, 20, 1.959964)!;
    expect(Math.abs(roundedLow - 0.6989663548)).toBeGreaterThan(1e-9);
    expect(Math.abs(roundedLow - 0.6989663548)).toBeLessThan(1e-8);
  });

  it('is exact at the ends: 0/n starts at 0, n/n ends at 1', () => {
    expect(wilsonInterval(0, 30)![0]).toBe(0);
    expect(wilsonInterval(30, 30)![1]).toBe(1);
    expect(wilsonInterval(0, 1)).toEqual([0, expect.any(Number)]);
  });

  it('a wider z gives a wider interval; fractional credits are accepted', () => {
    const [low95, high95] = wilsonInterval(40, 100)!;
    const [low99, high99] = wilsonInterval(40, 100, normalQuantile(0.995))!;
    expect(low99).toBeLessThan(low95);
    expect(high99).toBeGreaterThan(high95);
    const [low, high] = wilsonInterval(31.5, 400)!;
    expect(low).toBeLessThan(31.5 / 400);
    expect(high).toBeGreaterThan(31.5 / 400);
  });

  it('property: for any 0 ≤ x ≤ n, n > 0, bounds lie in [0, 1] and contain p̂; no NaN or Infinity', () => {
    fc.assert(
      fc.property(countAndTotal, ([x, n]) => {
        const interval = wilsonInterval(x, n);
        if (n === 0) {
          expect(interval).toBeNull();
          return;
        }
        const [low, high] = interval!;
        expect(Number.isFinite(low) && Number.isFinite(high)).toBe(true);
        expect(low).toBeGreaterThanOrEqual(0);
        expect(high).toBeLessThanOrEqual(1);
        expect(low).toBeLessThanOrEqual(x / n);
        expect(high).toBeGreaterThanOrEqual(x / n);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    { call: () => wilsonInterval(-1, 10), code: 'invalid_count', field: 'x' },
    { call: () => wilsonInterval(11, 10), code: 'invalid_count', field: 'x' },
    { call: () => wilsonInterval(Number.NaN, 10), code: 'invalid_count', field: 'x' },
    { call: () => wilsonInterval(1, Number.POSITIVE_INFINITY), code: 'invalid_count', field: 'n' },
    { call: () => wilsonInterval(1, -3), code: 'invalid_count', field: 'n' },
    { call: () => wilsonInterval(1, 10, -1.96), code: 'invalid_number', field: 'z' },
    { call: () => wilsonInterval(1, 10, Number.NaN), code: 'invalid_number', field: 'z' },
  ])('refuses bad input with $code on $field', ({ call, code, field }) => {
    expect(call).toThrowError(ChatmarkError);
    expect(call).toThrowError(expect.objectContaining({ code, field }));
  });
});
