import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  incompleteBetaWithComplement,
  logBeta,
  logGamma,
  regularizedGammaP,
  regularizedGammaQ,
  regularizedIncompleteBeta,
} from './special.js';

const relativeError = (got: number, expected: number): number =>
  expected === 0 ? Math.abs(got) : Math.abs(got - expected) / Math.abs(expected);

describe('special functions behind spec/metrics.md §3 distributions', () => {
  it.each([
    // ln Γ at whole numbers is ln((x − 1)!), at ½ it is ln √π; lnΓ(100) from Abramowitz & Stegun.
    [1, 0],
    [2, 0],
    [5, Math.log(24)],
    [10, Math.log(362_880)],
    [0.5, 0.5 * Math.log(Math.PI)],
    [1.5, Math.log(Math.sqrt(Math.PI) / 2)],
    [100, 359.1342053695754],
    [0.1, 2.252712651734206],
  ])('logGamma(%s) = %s', (x, expected) => {
    expect(Math.abs(logGamma(x) - expected)).toBeLessThan(1e-13 * Math.max(1, Math.abs(expected)));
  });

  it('logBeta agrees with log-gammas for small arguments and with Γ ratios for large ones', () => {
    expect(relativeError(logBeta(2, 3), Math.log(1 / 12))).toBeLessThan(1e-14);
    expect(relativeError(logBeta(0.5, 0.5), Math.log(Math.PI))).toBeLessThan(1e-14);
    // B(n, ½) for large n: the cancellation R's lbeta avoids. ln B(5e5, ½) ≈ ln Γ(½) − ½ ln(5e5) + O(1/n).
    const n = 500_000;
    const approx = 0.5 * Math.log(Math.PI) - 0.5 * Math.log(n) + 1 / (8 * n);
    expect(Math.abs(logBeta(n, 0.5) - approx)).toBeLessThan(1e-11);
    expect(logBeta(30, 40)).toBeCloseTo(logGamma(30) + logGamma(40) - logGamma(70), 10);
    expect(logBeta(3, 12)).toBeCloseTo(logGamma(3) + logGamma(12) - logGamma(15), 12);
  });

  it('regularizedIncompleteBeta matches closed forms: I_x(a,1) = xᵃ, I_x(1,b) = 1 − (1 − x)ᵇ', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        (x, a) => {
          expect(relativeError(regularizedIncompleteBeta(x, a, 1), x ** a)).toBeLessThan(1e-11);
          expect(relativeError(regularizedIncompleteBeta(x, 1, a), 1 - (1 - x) ** a)).toBeLessThan(1e-11);
        },
      ),
    );
  });

  it('regularizedIncompleteBeta is symmetric: I_x(a, b) = 1 − I_{1−x}(b, a), and monotone in x', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.2, max: 200, noNaN: true }),
        fc.double({ min: 0.2, max: 200, noNaN: true }),
        (x, a, b) => {
          const left = regularizedIncompleteBeta(x, a, b);
          expect(left).toBeGreaterThanOrEqual(0);
          expect(left).toBeLessThanOrEqual(1);
          expect(Math.abs(left - (1 - regularizedIncompleteBeta(1 - x, b, a)))).toBeLessThan(1e-12);
          expect(regularizedIncompleteBeta(Math.min(1, x + 0.005), a, b)).toBeGreaterThanOrEqual(left);
        },
      ),
    );
    expect(regularizedIncompleteBeta(0.5, 2, 2)).toBeCloseTo(0.5, 15);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expect(incompleteBetaWithComplement(2, 3, 0.25, 0.75)).toBeCloseTo(
      regularizedIncompleteBeta(0.25, 2, 3),
      15,
    );
  });

  it('regularized gamma: P(1, x) = 1 − e⁻ˣ, P + Q = 1, Q(½, x²) = erfc(x) at known points', () => {
    for (const x of [0.01, 0.5, 1, 2, 5, 30]) {
      expect(relativeError(regularizedGammaP(1, x), -Math.expm1(-x))).toBeLessThan(1e-14);
      expect(relativeError(regularizedGammaQ(1, x), Math.exp(-x))).toBeLessThan(1e-13);
    }
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 300, noNaN: true }),
        (a, x) => {
          expect(Math.abs(regularizedGammaP(a, x) + regularizedGammaQ(a, x) - 1)).toBeLessThan(1e-13);
        },
      ),
    );
    // erfc(1) = 0.15729920705028513 (Abramowitz & Stegun 7.1).
    expect(relativeError(regularizedGammaQ(0.5, 1), 0.15729920705028513)).toBeLessThan(1e-14);
    expect(regularizedGammaP(2, 0)).toBe(0);
    expect(regularizedGammaQ(2, 0)).toBe(1);
    expect(regularizedGammaQ(2, Number.POSITIVE_INFINITY)).toBe(0);
  });

  it.each([
    ['logGamma(0)', () => logGamma(0)],
    ['logGamma(-1)', () => logGamma(-1)],
    ['logBeta(0, 1)', () => logBeta(0, 1)],
    ['I_x with x > 1', () => regularizedIncompleteBeta(1.5, 1, 1)],
    ['I_x with a = 0', () => regularizedIncompleteBeta(0.5, 0, 1)],
    ['P(0, 1)', () => regularizedGammaP(0, 1)],
    ['Q(1, -1)', () => regularizedGammaQ(1, -1)],
    ['P(1, NaN)', () => regularizedGammaP(1, Number.NaN)],
  ])('%s throws RangeError (outside the domain: programmer error, not user input)', (_, call) => {
    expect(call).toThrowError(RangeError);
  });
});
