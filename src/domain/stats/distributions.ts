import { incompleteBetaWithComplement, logBeta, regularizedGammaP, regularizedGammaQ } from './special.js';

/**
 * The distributions spec/metrics.md §3–§4 uses: the standard normal (z-tests, Wilson, sample
 * size), Student's t with non-integer degrees of freedom (Welch–Satterthwaite) and chi-square
 * (sample-ratio mismatch). Tails are computed directly, never as 1 − CDF, so p-values of 1e-30
 * keep their digits.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);

function checkProbability(p: number, name: string): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} needs a probability in [0, 1], got ${p}`);
}

function checkDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`);
}

/**
 * Φ(x), the standard normal CDF, from Φ(x) = ½·Q(½, x²/2) for x < 0 (relative accuracy ~1e-15 deep
 * into the lower tail).
 *
 * @example normalCdf(-1.959963984540054) // 0.025
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) throw new RangeError('normalCdf needs a number, got NaN');
  if (x === 0) return 0.5;
  const half = x * x * 0.5;
  return x < 0 ? 0.5 * regularizedGammaQ(0.5, half) : 0.5 + 0.5 * regularizedGammaP(0.5, half);
}

/** The standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

// Acklam's rational approximation (relative error < 1.2e-9), polished below by Halley steps.
const ACKLAM_A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
] as const;
const ACKLAM_B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
] as const;
const ACKLAM_C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
] as const;
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;

function acklam(p: number): number {
  const [a0, a1, a2, a3, a4, a5] = ACKLAM_A;
  const [b0, b1, b2, b3, b4] = ACKLAM_B;
  const [c0, c1, c2, c3, c4, c5] = ACKLAM_C;
  const [d0, d1, d2, d3] = ACKLAM_D;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

/**
 * Φ⁻¹(p), the standard normal quantile: Acklam's approximation, then Halley steps on Φ until the
 * correction is below rounding (full double precision).
 *
 * @example normalQuantile(0.975) // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  checkProbability(p, 'normalQuantile');
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  // Work in the lower tail, where Φ(x) − p has relative precision; 1 − p is exact for p ≥ ½.
  if (p > 0.5) return -normalQuantile(1 - p);
  let x = acklam(p);
  for (let i = 0; i < 4; i += 1) {
    const e = normalCdf(x) - p;
    const u = e / normalPdf(x);
    const step = u / (1 + (x * u) / 2);
    x -= step;
    if (Math.abs(step) <= 2 * Number.EPSILON * Math.abs(x)) break;
  }
  return x;
}

/**
 * P(T > x) for x ≥ 0: ½·I_{ν/(ν+x²)}(ν/2, ½), with both x and 1 − x passed in exact forms.
 */
function studentTUpperTail(x: number, df: number): number {
  if (x === 0) return 0.5;
  const x2 = x * x;
  if (!Number.isFinite(x2)) return 0;
  // 1/(1 + x²/ν) and its complement, computed without forming ν + x² when ν ≫ x².
  const ratio = x2 / df;
  if (!Number.isFinite(ratio)) return 0;
  const y = ratio / (1 + ratio);
  const w = 1 / (1 + ratio);
  return 0.5 * incompleteBetaWithComplement(df / 2, 0.5, w, y);
}

/**
 * F_t(x; ν), Student's t CDF for any real ν > 0 (Welch–Satterthwaite degrees of freedom are not
 * whole numbers). ν = Infinity is the normal distribution.
 *
 * @example studentTCdf(2, 5.5) // 0.9516228048844075
 */
export function studentTCdf(x: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(x)) throw new RangeError('studentTCdf needs a number, got NaN');
  if (df === Number.POSITIVE_INFINITY) return normalCdf(x);
  return x < 0 ? studentTUpperTail(-x, df) : 1 - studentTUpperTail(x, df);
}

/**
 * The two-sided p-value of a t statistic, 2(1 − F_t(|t|; ν)), computed as I_{ν/(ν+t²)}(ν/2, ½)
 * so a tiny p-value is not rounded to 0 by the subtraction.
 *
 * @example studentTTwoSidedPValue(2.228138851986274, 10) // 0.05
 */
export function studentTTwoSidedPValue(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) throw new RangeError('studentTTwoSidedPValue needs a number, got NaN');
  if (df === Number.POSITIVE_INFINITY) return 2 * normalCdf(-Math.abs(t));
  return Math.min(1, 2 * studentTUpperTail(Math.abs(t), df));
}

/** f_t(x; ν) = (1 + x²/ν)^(−(ν+1)/2) / (√ν · B(ν/2, ½)). */
function studentTPdf(x: number, df: number): number {
  return Math.exp(-0.5 * Math.log(df) - logBeta(df / 2, 0.5) - ((df + 1) / 2) * Math.log1p((x * x) / df));
}

/**
 * F_t⁻¹(p; ν), Student's t quantile for any real ν > 0: Newton's method on the upper tail,
 * safeguarded by bisection inside a bracket, so it converges for ν = 1 (Cauchy) as for ν = 10⁶.
 *
 * @example studentTQuantile(0.975, 30) // 2.0422724563012378
 */
export function studentTQuantile(p: number, df: number): number {
  checkProbability(p, 'studentTQuantile');
  checkDf(df);
  if (df === Number.POSITIVE_INFINITY) return normalQuantile(p);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  // Solve for the tail mass beyond |x|: p itself below ½ (1 − p would lose its digits when p is
  // tiny), 1 − p above (exact there).
  const upper = p > 0.5;
  const target = upper ? 1 - p : p;
  // The t quantile is at least the normal one; double until the bracket holds the root.
  let low = 0;
  let high = Math.max(1, -normalQuantile(target));
  while (studentTUpperTail(high, df) > target) {
    low = high;
    high *= 2;
  }
  let x = (low + high) / 2;
  for (let i = 0; i < 200; i += 1) {
    const excess = studentTUpperTail(x, df) - target;
    if (excess === 0) return upper ? x : -x;
    // The tail falls as x grows: too much tail left means the root lies to the right.
    if (excess > 0) low = x;
    else high = x;
    let next = x + excess / studentTPdf(x, df);
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (Math.abs(next - x) <= 2 * Number.EPSILON * Math.abs(next)) return upper ? next : -next;
    x = next;
  }
  return upper ? x : -x;
}

/**
 * The chi-square CDF with k degrees of freedom: P(k/2, x/2).
 *
 * @example chiSquareCdf(3.841458820694124, 1) // 0.95
 */
export function chiSquareCdf(x: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(x)) throw new RangeError('chiSquareCdf needs a number, got NaN');
  return x <= 0 ? 0 : regularizedGammaP(df / 2, x / 2);
}

/**
 * The chi-square survival function 1 − CDF, computed directly as Q(k/2, x/2): the SRM p-value.
 *
 * @example chiSquareSurvival(18.181818181818183, 1) // 0.00002007865612426483
 */
export function chiSquareSurvival(x: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(x)) throw new RangeError('chiSquareSurvival needs a number, got NaN');
  return x <= 0 ? 1 : regularizedGammaQ(df / 2, x / 2);
}
