/**
 * Special functions behind the distributions of spec/metrics.md §3: log-gamma, log-beta, and the
 * regularized incomplete gamma and beta functions. Written out here (Numerical Recipes' series and
 * Lentz continued fractions, R's nmath log-beta, TOMS 708's large-a expansion) rather than taken
 * from a package: the t distribution needs non-integer degrees of freedom (Welch–Satterthwaite) up
 * to millions, which few small packages handle to 1e-9.
 */

const LN_SQRT_2PI = 0.9189385332046728; // ln √(2π)
const EPS = Number.EPSILON;
/** Stands in for 0 in Lentz's method, so a zero denominator never divides. */
const TINY = 1e-300;
/** Continued fractions need O(√max(a, b)) terms; this cap is far above what df ≤ 1e12 uses. */
const MAX_ITERATIONS = 100_000;

// Lanczos approximation, g = 7, n = 9: relative error ~1e-15 on (0, 10).
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;

/**
 * lnΓ(x) − Stirling's approximation, for x ≥ 10 (the remainder of Stirling's series, truncated
 * after the x⁻¹³ term: the error is below 4e-17 there). Kept apart so that differences of log-gammas
 * of large arguments (log-beta with a large df) do not cancel catastrophically.
 */
function stirlingCorrection(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return (
    r *
    (1 / 12 -
      r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 * (1 / 1188 - r2 * (691 / 360360 - r2 / 156))))))
  );
}

/**
 * ln Γ(x) for x > 0.
 *
 * @example logGamma(5) // ln 24 ≈ 3.1780538303479458
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingCorrection(x);
  if (x < 0.5) return logGamma(x + 1) - Math.log(x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i += 1) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), computed as R's nmath `lbeta` does: when an
 * argument is large the Stirling parts cancel analytically, so ln B(ν/2, ½) stays accurate for
 * ν in the millions.
 *
 * @example logBeta(2, 3) // ln(1/12)
 */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (!(p > 0)) throw new RangeError(`logBeta needs a, b > 0, got ${a}, ${b}`);
  if (p >= 10) {
    const correction = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q);
    return (
      -0.5 * Math.log(q) +
      LN_SQRT_2PI +
      correction +
      (p - 0.5) * Math.log(p / (p + q)) +
      q * Math.log1p(-p / (p + q))
    );
  }
  if (q >= 10) {
    const correction = stirlingCorrection(q) - stirlingCorrection(p + q);
    return logGamma(p) + correction + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return logGamma(p) + logGamma(q) - logGamma(p + q);
}

/** Lentz's continued fraction for I_x(a, b) (Numerical Recipes `betacf`); converges for x < (a+1)/(a+b+2). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m += 1) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= EPS) break;
  }
  return h;
}

/**
 * I_x(a, b) for a ≥ 15 and b ≤ 1 with x near 1, by Didonato & Morris's asymptotic expansion in
 * 1/a (ACM TOMS 708, 1992, §9, their BGRAT). This is Student's t with ν ≥ 30: there the continued
 * fraction subtracts numbers close to 1 and loses ~log₁₀(ν/t²) digits (1e-9 at ν = 10⁸); the
 * expansion keeps ~1e-15. With T = a + (b − 1)/2 and z = −T·ln x:
 * I_x(a, b) = Γ(a+b)/(Γ(a)Γ(b)) · e^(−z) (z/T)^b · Σₙ dₙ Jₙ, where J₀ = Q(b, z)/(e^(−z) z^b/Γ(b)).
 */
function incompleteBetaLargeA(a: number, b: number, x: number, y: number): number {
  const t = a + (b - 1) / 2;
  const lnX = y > 0.375 ? Math.log(x) : Math.log1p(-y);
  const z = -t * lnX;
  const logScale = -z + b * Math.log(z / t) - logBeta(a, b);
  const v = 0.25 / (t * t);
  const quarterLnX2 = 0.25 * lnX * lnX;
  const c: number[] = [];
  const d: number[] = [];
  let j = gammaQOverFront(b, z);
  let sum = j;
  let power = 1;
  let cn = 1;
  let twoN = 0;
  // The series is asymptotic in 1/a: for a ≥ 15 it reaches rounding within ~10 terms.
  for (let n = 1; n <= 30; n += 1) {
    const bp = b + twoN;
    j = (bp * (bp + 1) * j + (z + bp + 1) * power) * v;
    twoN += 2;
    power *= quarterLnX2;
    cn /= twoN * (twoN + 1);
    c.push(cn);
    let s = 0;
    for (let i = 1; i < n; i += 1) s += (i * b - n) * c[i - 1]! * d[n - 1 - i]!;
    const dn = (b - 1) * cn + s / n;
    d.push(dn);
    const term = dn * j;
    sum += term;
    if (Math.abs(term) <= EPS * sum) break;
  }
  return Math.exp(logScale) * sum;
}

/**
 * I_x(a, b) given both x and y = 1 − x. Callers that know y more precisely than 1 − x (the t
 * distribution: y = t²/(ν + t²)) pass it, so neither tail loses digits to cancellation.
 */
export function incompleteBetaWithComplement(a: number, b: number, x: number, y: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`incomplete beta needs a, b > 0, got ${a}, ${b}`);
  if (!(x >= 0 && y >= 0)) throw new RangeError(`incomplete beta needs 0 ≤ x ≤ 1, got ${x}`);
  if (x === 0) return 0;
  if (y === 0) return 1;
  // TOMS 708's choice: the expansion for large a, except where z = −T·ln x is small ((a·y)^b ≤ 0.7),
  // where it is inaccurate and the continued fraction below is exact to rounding.
  if (a >= 15 && b <= 1 && y < 0.29 && !(y < 0.1 && (a * y) ** b <= 0.7)) {
    return incompleteBetaLargeA(a, b, x, y);
  }
  // ln x and ln y from whichever of x, y is small, so a·ln x stays exact to rounding for large a.
  const lnX = x > 0.5 ? Math.log1p(-y) : Math.log(x);
  const lnY = y > 0.5 ? Math.log1p(-x) : Math.log(y);
  const front = Math.exp(a * lnX + b * lnY - logBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, y)) / b;
}

/**
 * The regularized incomplete beta function I_x(a, b), 0 ≤ x ≤ 1.
 *
 * @example regularizedIncompleteBeta(0.5, 2, 2) // 0.5
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  return incompleteBetaWithComplement(a, b, x, 1 - x);
}

/** e^(−x) x^a / Γ(a), the factor both gamma expansions share, in log space against overflow. */
function gammaFront(a: number, x: number): number {
  return Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** P(a, x)/front(a, x) by its power series (Numerical Recipes `gser`); converges fast for x < a + 1. */
function gammaSeriesSum(a: number, x: number): number {
  let ap = a;
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n <= MAX_ITERATIONS; n += 1) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum;
}

/** Q(a, x)/front(a, x) by Lentz's continued fraction (Numerical Recipes `gcf`); for x ≥ a + 1. */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i += 1) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= EPS) break;
  }
  return h;
}

/** Q(a, x) divided by front(a, x) = e^(−x) x^a / Γ(a), without forming a tiny front when x is large. */
function gammaQOverFront(a: number, x: number): number {
  if (x >= a + 1) return gammaContinuedFraction(a, x);
  return 1 / gammaFront(a, x) - gammaSeriesSum(a, x);
}

function checkGammaArguments(a: number, x: number): void {
  if (!(a > 0)) throw new RangeError(`incomplete gamma needs a > 0, got ${a}`);
  if (Number.isNaN(x) || x < 0) throw new RangeError(`incomplete gamma needs x ≥ 0, got ${x}`);
}

/**
 * The regularized lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a).
 *
 * @example regularizedGammaP(1, 2) // 1 − e⁻² ≈ 0.8646647167633873
 */
export function regularizedGammaP(a: number, x: number): number {
  checkGammaArguments(a, x);
  if (x === 0) return 0;
  if (x === Number.POSITIVE_INFINITY) return 1;
  return x < a + 1
    ? gammaSeriesSum(a, x) * gammaFront(a, x)
    : 1 - gammaContinuedFraction(a, x) * gammaFront(a, x);
}

/**
 * The regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x), computed directly in the
 * tail so that small survival probabilities (SRM p-values of 1e-20) keep their digits.
 *
 * @example regularizedGammaQ(1, 2) // e⁻² ≈ 0.1353352832366127
 */
export function regularizedGammaQ(a: number, x: number): number {
  checkGammaArguments(a, x);
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return x < a + 1
    ? 1 - gammaSeriesSum(a, x) * gammaFront(a, x)
    : gammaContinuedFraction(a, x) * gammaFront(a, x);
}
