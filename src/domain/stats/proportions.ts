import { normalCdf, studentTQuantile, studentTTwoSidedPValue } from './distributions.js';
import { checkCount, checkNumber, checkProbability, checkSuccesses } from './validate.js';

/** Conversions x out of n units in one arm. */
export interface ArmCounts {
  n: number;
  x: number;
}

/** One arm of a mean metric: units, sample mean and variance (e.g. revenue per chat). */
export interface MeanSummary {
  n: number;
  mean: number;
  variance: number;
}

export interface ComparisonOptions {
  /** Two-sided significance level; the CI has coverage 1 − alpha. Default 0.05. */
  alpha?: number;
}

/**
 * The relative lift of variant over baseline with its inference. Every field is null when it
 * cannot be computed (no units, a zero baseline, an arm with n < 2, zero variance): never NaN.
 */
export interface LiftInference {
  /** Δ = (μ_T − μ_C)/|μ_C|; null when the baseline mean is 0 or an arm is empty. */
  relativeChange: number | null;
  /** Δ ± F_t⁻¹(1 − α/2; ν)·SE. */
  ci: [number, number] | null;
  /** 2(1 − F_t(|Δ/SE|; ν)). */
  pValue: number | null;
  /** Delta-method standard error of Δ. */
  se: number | null;
  /** Welch–Satterthwaite degrees of freedom ν (not a whole number in general). */
  df: number | null;
}

export interface ProportionComparison extends LiftInference {
  /** x/n of the baseline; null when n = 0. */
  baselineRate: number | null;
  variantRate: number | null;
}

export interface MeanComparison extends LiftInference {
  baselineMean: number | null;
  variantMean: number | null;
}

const NO_INFERENCE = { ci: null, pValue: null, se: null, df: null } as const;

function alphaOf(options: ComparisonOptions): number {
  const alpha = options.alpha ?? 0.05;
  checkProbability(alpha, 'alpha');
  return alpha;
}

/** The relative-lift t-test of spec/metrics.md §3 (GrowthBook's frequentist engine) on summaries. */
function relativeLift(baseline: MeanSummary, variant: MeanSummary, alpha: number): LiftInference {
  if (baseline.n === 0 || variant.n === 0 || baseline.mean === 0) {
    return { relativeChange: null, ...NO_INFERENCE };
  }
  const { mean: muC, variance: varC, n: nC } = baseline;
  const { mean: muT, variance: varT, n: nT } = variant;
  const relativeChange = (muT - muC) / Math.abs(muC);
  // ν divides by n − 1: with one unit in an arm there is no variance estimate to test with.
  if (nC < 2 || nT < 2) return { relativeChange, ...NO_INFERENCE };
  const muC2 = muC * muC;
  const variance = varT / (muC2 * nT) + (varC * muT * muT) / (muC2 * muC2 * nC);
  const se = Math.sqrt(variance);
  const perUnitT = varT / nT;
  const perUnitC = varC / nC;
  const df =
    (perUnitT + perUnitC) ** 2 / ((perUnitT * perUnitT) / (nT - 1) + (perUnitC * perUnitC) / (nC - 1));
  // Zero variance (every unit converted, or none in the variant): t = Δ/0 says nothing useful.
  if (!(se > 0) || !Number.isFinite(se) || !(df > 0) || !Number.isFinite(df)) {
    return { relativeChange, ...NO_INFERENCE };
  }
  const pValue = studentTTwoSidedPValue(relativeChange / se, df);
  const margin = studentTQuantile(1 - alpha / 2, df) * se;
  return { relativeChange, ci: [relativeChange - margin, relativeChange + margin], pValue, se, df };
}

/**
 * Compares conversion rates as GrowthBook's frequentist engine does (spec/metrics.md §3):
 * μ = x/n, σ² = μ(1 − μ), relative lift with a delta-method SE, Welch–Satterthwaite ν, t-test.
 *
 * @example
 * compareProportions({ baseline: { n: 28, x: 14 }, variant: { n: 30, x: 16 } })
 * // { baselineRate: 0.5, variantRate: 0.5333…, relativeChange: 0.0667, ci: [-0.4777, 0.6110],
 * //   pValue: 0.8071, se: 0.2717, df: 55.71 }
 */
export function compareProportions(
  arms: { baseline: ArmCounts; variant: ArmCounts },
  options: ComparisonOptions = {},
): ProportionComparison {
  checkSuccesses(arms.baseline.x, arms.baseline.n, 'baseline');
  checkSuccesses(arms.variant.x, arms.variant.n, 'variant');
  const alpha = alphaOf(options);
  const summary = ({ n, x }: ArmCounts): MeanSummary => {
    const mean = n === 0 ? 0 : x / n;
    return { n, mean, variance: mean * (1 - mean) };
  };
  const { baseline, variant } = arms;
  return {
    baselineRate: baseline.n === 0 ? null : baseline.x / baseline.n,
    variantRate: variant.n === 0 ? null : variant.x / variant.n,
    ...relativeLift(summary(baseline), summary(variant), alpha),
  };
}

/**
 * The same relative-lift t-test for a mean metric (revenue per chat, messages per chat) from
 * per-arm n, mean and sample variance (GrowthBook's SampleMeanStatistic).
 *
 * @example
 * compareMeans({ baseline: { n: 3407, mean: 0.41, variance: 15.21 },
 *                variant: { n: 3461, mean: 0.7, variance: 38.44 } })
 * // relativeChange 0.7073, ci [-0.0353, 1.4499], pValue 0.0619
 */
export function compareMeans(
  arms: { baseline: MeanSummary; variant: MeanSummary },
  options: ComparisonOptions = {},
): MeanComparison {
  for (const arm of ['baseline', 'variant'] as const) {
    checkCount(arms[arm].n, `${arm}.n`);
    checkNumber(arms[arm].mean, `${arm}.mean`);
    checkNumber(arms[arm].variance, `${arm}.variance`, true);
  }
  const alpha = alphaOf(options);
  const { baseline, variant } = arms;
  return {
    baselineMean: baseline.n === 0 ? null : baseline.mean,
    variantMean: variant.n === 0 ? null : variant.mean,
    ...relativeLift(baseline, variant, alpha),
  };
}

export interface ZTestResult {
  /** Null when the pooled variance is 0 (no conversions at all, or all units converted) or an arm is empty. */
  z: number | null;
  pValue: number | null;
}

/**
 * The pooled two-proportion z-test (spec/metrics.md §3): p̄ = (x₁+x₂)/(n₁+n₂),
 * z = (p₁ − p₂)/√(p̄(1−p̄)(1/n₁ + 1/n₂)), p = 2Φ(−|z|). Sample 1 minus sample 2, as statsmodels.
 *
 * @example pooledZTest(5, 83, 12, 99) // { z: -1.4078304151, pValue: 0.1591812918 }
 */
export function pooledZTest(x1: number, n1: number, x2: number, n2: number): ZTestResult {
  checkSuccesses(x1, n1, 'sample1');
  checkSuccesses(x2, n2, 'sample2');
  if (n1 === 0 || n2 === 0) return { z: null, pValue: null };
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { z: null, pValue: null };
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))) };
}
