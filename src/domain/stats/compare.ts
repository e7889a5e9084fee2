import { ChatmarkError } from '../errors.js';
import type { FunnelCounts } from '../funnel.js';
import {
  type ArmCounts,
  compareProportions,
  poissonTest,
  pooledZTest,
  relativeChange,
  sampleRatioMismatch,
  sampleSizePerArm,
  verdict,
  type VerdictName,
  type VerdictRule,
} from './index.js';

/**
 * Baseline vs variant, as `POST /api/experiments/compare`, `chatmark compare` and an experiment's
 * results all answer it (spec/metrics.md §3). Pure: it composes src/domain/stats and adds nothing
 * statistical of its own.
 */

/** The rates an experiment may decide on (DESIGN.md "The funnel and its formulas"). */
export const DECISION_METRICS = [
  'conversion_rate',
  'qualification_rate',
  'click_to_message_rate',
  'chat_start_rate',
] as const;
export type DecisionMetric = (typeof DECISION_METRICS)[number];

type CountName = keyof Pick<
  FunnelCounts,
  'link_clicks' | 'landing_visits' | 'chats_started' | 'qualified' | 'conversions'
>;

/** Each decision metric as x out of n: the numerator and denominator of its formula. */
export const METRIC_PARTS: Readonly<Record<DecisionMetric, { x: CountName; n: CountName }>> = {
  conversion_rate: { x: 'conversions', n: 'chats_started' },
  qualification_rate: { x: 'qualified', n: 'chats_started' },
  click_to_message_rate: { x: 'chats_started', n: 'link_clicks' },
  chat_start_rate: { x: 'chats_started', n: 'landing_visits' },
};

export interface ProportionsInput {
  baseline: ArmCounts;
  variant: ArmCounts;
  /** The planned [baseline, variant] split; the sample-ratio check runs only when it is given. */
  weights?: readonly [number, number] | null | undefined;
  /** Units the split assigned, for the sample-ratio check; default [baseline.n, variant.n]. */
  srmUnits?: readonly [number, number] | undefined;
  minConversions?: number | undefined;
  plannedSampleSize?: number | null | undefined;
  rollbackThreshold?: number | undefined;
  minimumEffect?: number | undefined;
  /**
   * False for counts read from the store, where an arm can hold more "successes" than units (a
   * purchase whose chat started before the period): the arm is then no proportion and the result
   * says so (hold) instead of refusing the input. True (default) refuses x > n.
   */
  strict?: boolean | undefined;
}

export interface ValuesInput {
  baseline: number;
  variant: number;
  /** Both values are counts with equal exposure (chats per day over two equal periods): Poisson test. */
  counts?: boolean | undefined;
}

export interface SrmView {
  chi2: number | null;
  pValue: number | null;
  mismatch: boolean;
}

interface CommonResult {
  relativeChange: number | null;
  /** 95% CI of the relative change; null when it cannot be computed. */
  ci: [number, number] | null;
  pValue: number | null;
  verdict: VerdictName | null;
  /** In words, with the numbers behind it. */
  reason: string;
  rule: VerdictRule | null;
}

export interface ProportionsResult extends CommonResult {
  mode: 'proportions';
  verdict: VerdictName;
  rule: VerdictRule;
  baselineRate: number | null;
  variantRate: number | null;
  /** Delta-method standard error and Welch–Satterthwaite degrees of freedom of the t-test. */
  se: number | null;
  df: number | null;
  /** The pooled two-proportion z-test, oriented variant − baseline (positive: the variant is higher). */
  zTest: { z: number | null; pValue: number | null };
  /** Present when a planned split (weights) was given. */
  srm?: SrmView;
  /** Units per arm to detect the observed lift at the observed rates (α 0.05, power 0.8); null when there is no lift. */
  minimumSample: number | null;
}

export interface ValuesResult extends CommonResult {
  mode: 'values';
  /** Poisson z with `counts`, else null. */
  z: number | null;
}

export type CompareResult = ProportionsResult | ValuesResult;

/**
 * Compares two conversion rates (GrowthBook's relative-lift t-test), with the pooled z-test beside
 * it, the sample-ratio check when a split was planned, the minimum sample at the observed rates,
 * and the verdict of spec/metrics.md §3.
 *
 * @example
 * compareArms({ baseline: { n: 83, x: 5 }, variant: { n: 99, x: 12 } })
 * // { mode: 'proportions', relativeChange: 1.0121…, zTest: { z: 1.4078…, pValue: 0.1592… },
 * //   verdict: 'hold', rule: 'sample', reason: 'Not enough data: 12 conversions …', … }
 */
export function compareArms(input: ProportionsInput): ProportionsResult {
  const { baseline, variant } = input;
  const excess = input.strict === false && (baseline.x > baseline.n || variant.x > variant.n);
  const rate = (arm: ArmCounts) => (arm.n === 0 ? null : arm.x / arm.n);
  // Not a proportion: still report the change of the ratios, but no test can be run on it.
  const comparison = excess
    ? (() => {
        const b = rate(baseline);
        const v = rate(variant);
        return {
          baselineRate: b,
          variantRate: v,
          relativeChange: b === null || v === null ? null : relativeChange(b, v),
          ci: null,
          pValue: null,
          se: null,
          df: null,
        };
      })()
    : compareProportions({ baseline, variant });
  // Sample 1 is the variant, so a higher variant rate gives a positive z.
  const zTest = excess
    ? { z: null, pValue: null }
    : pooledZTest(variant.x, variant.n, baseline.x, baseline.n);

  let srm: SrmView | undefined;
  if (input.weights) {
    const units = input.srmUnits ?? [baseline.n, variant.n];
    const result = sampleRatioMismatch(units, input.weights);
    srm = { chi2: result.chi2, pValue: result.pValue, mismatch: result.mismatch };
  }

  const { baselineRate, variantRate } = comparison;
  const minimumSample =
    excess || baselineRate === null || variantRate === null
      ? null
      : sampleSizePerArm(baselineRate, variantRate);

  const decided = verdict({
    decision: { relativeChange: comparison.relativeChange, ci: comparison.ci },
    conversions: { baseline: baseline.x, variant: variant.x },
    units: { baseline: baseline.n, variant: variant.n },
    srmPValue: srm?.pValue ?? null,
    ...(input.minConversions !== undefined && { minConversions: input.minConversions }),
    ...(input.plannedSampleSize != null && { plannedSampleSize: input.plannedSampleSize }),
    ...(input.rollbackThreshold !== undefined && { rollbackThreshold: input.rollbackThreshold }),
    ...(input.minimumEffect !== undefined && { minimumEffect: input.minimumEffect }),
  });
  const reason =
    excess && decided.rule === 'inconclusive'
      ? `Hold: an arm has more successes than units (baseline ${baseline.x} of ${baseline.n}, variant ` +
        `${variant.x} of ${variant.n}), so the metric is no proportion here and cannot be tested; the result is inconclusive.`
      : decided.reason;

  return {
    mode: 'proportions',
    relativeChange: comparison.relativeChange,
    ci: comparison.ci,
    pValue: comparison.pValue,
    verdict: decided.verdict,
    reason,
    rule: decided.rule,
    baselineRate,
    variantRate,
    se: comparison.se,
    df: comparison.df,
    zTest,
    ...(srm && { srm }),
    minimumSample,
  };
}

/**
 * The relative change of two plain values; with `counts`, the Poisson test for counts with equal
 * exposure (spec/metrics.md §3). Neither gives a confidence interval, so neither gives a verdict:
 * the §3 rules need one (rule 4), and `reason` says so.
 *
 * @example compareValues({ baseline: 19_000, variant: 19_760 }) // { relativeChange: 0.04, … } (+4.00%)
 * @example compareValues({ baseline: 100, variant: 130, counts: true }) // { z: 1.978…, pValue: 0.0479…, … }
 */
export function compareValues(input: ValuesInput): ValuesResult {
  if (input.counts) {
    const test = poissonTest(input.baseline, input.variant);
    const z =
      test.z === null
        ? 'no test (both counts are 0)'
        : `z = ${test.z.toFixed(4)}, p = ${pValueText(test.pValue)}`;
    return {
      mode: 'values',
      relativeChange: test.relativeChange,
      ci: null,
      pValue: test.pValue,
      z: test.z,
      verdict: null,
      rule: null,
      reason:
        `Poisson test for counts with equal exposure: ${input.baseline} → ${input.variant} ` +
        `(${signedPercent(test.relativeChange)}), ${z}. No confidence interval, so no verdict: compare proportions for one.`,
    };
  }
  const change = relativeChange(input.baseline, input.variant);
  return {
    mode: 'values',
    relativeChange: change,
    ci: null,
    pValue: null,
    z: null,
    verdict: null,
    rule: null,
    reason:
      `Relative change ${input.baseline} → ${input.variant}: ${signedPercent(change)}` +
      (change === null ? ' (the baseline is 0)' : '') +
      '. Plain values carry no sample size, so there is no test and no verdict.',
  };
}

/** +4.00%, −1.20% (a true minus sign), n/a for null. */
export function signedPercent(value: number | null): string {
  if (value === null) return 'n/a';
  const text = (Math.abs(value) * 100).toFixed(2);
  if (Number(text) === 0) return '0.00%';
  return `${value > 0 ? '+' : '\u2212'}${text}%`;
}

function pValueText(p: number | null): string {
  if (p === null) return 'n/a';
  return p < 0.0001 ? p.toExponential(2) : p.toFixed(4);
}

/**
 * One line for a person: the change, its interval, the p-value and the verdict with its reason.
 *
 * @example describeComparison(result) // 'variant +4.00% (95% CI −1.20% … +9.10%), p = 0.1300 → hold: Hold: …'
 */
export function describeComparison(result: CompareResult): string {
  const ci = result.ci ? ` (95% CI ${signedPercent(result.ci[0])} … ${signedPercent(result.ci[1])})` : '';
  const p = result.pValue === null ? '' : `, p = ${pValueText(result.pValue)}`;
  const head = `variant ${signedPercent(result.relativeChange)}${ci}${p}`;
  if (result.verdict === null) return `${head}: ${result.reason}`;
  // The verdict is already named after the arrow; the reason's own "Hold:" would repeat it.
  return `${head} → ${result.verdict}: ${result.reason.replace(/^(Hold|Ship|Roll back): /, '')}`;
}

/** The lines under the summary: rates, z-test, sample-ratio check, minimum sample. */
export function describeDetails(result: CompareResult): string[] {
  if (result.mode === 'values') return result.z === null ? [] : [`Poisson z = ${result.z.toFixed(4)}`];
  const rate = (r: number | null) => (r === null ? 'n/a' : `${(r * 100).toFixed(2)}%`);
  const lines = [
    `rates: baseline ${rate(result.baselineRate)}, variant ${rate(result.variantRate)}`,
    result.zTest.z === null
      ? 'pooled z-test: not computable'
      : `pooled z-test: z = ${result.zTest.z.toFixed(4)}, p = ${pValueText(result.zTest.pValue)}`,
  ];
  if (result.srm) {
    lines.push(
      result.srm.chi2 === null
        ? 'sample ratio: nothing to check'
        : `sample ratio: chi2 = ${result.srm.chi2.toFixed(4)}, p = ${pValueText(result.srm.pValue)}` +
            (result.srm.mismatch ? ' (mismatch: p < 0.001)' : ''),
    );
  }
  lines.push(
    result.minimumSample === null
      ? 'minimum sample: n/a (no lift to detect)'
      : `minimum sample: ${result.minimumSample} per arm to detect this lift (α 0.05, power 0.8)`,
  );
  return lines;
}

/** A comparison as the API body and the CLI flags spell it: arms `{n, x}`, or two plain values. */
export interface CompareRequest {
  baseline: ArmCounts | number;
  variant: ArmCounts | number;
  counts?: boolean | undefined;
  weights?: readonly [number, number] | undefined;
  minConversions?: number | undefined;
  plannedSampleSize?: number | null | undefined;
  rollbackThreshold?: number | undefined;
  minimumEffect?: number | undefined;
}

const PROPORTION_OPTIONS = [
  'weights',
  'minConversions',
  'plannedSampleSize',
  'rollbackThreshold',
  'minimumEffect',
] as const;

/**
 * Runs the comparison a request asks for: proportions when both arms are `{n, x}`, values when
 * both are numbers. Mixing the two, or an option of the other mode, is refused (ChatmarkError,
 * with the field).
 *
 * @example compare({ baseline: 19_000, variant: 19_760 }).relativeChange // 0.04
 */
export function compare(request: CompareRequest): CompareResult {
  const { baseline, variant } = request;
  if (typeof baseline === 'number' && typeof variant === 'number') {
    for (const option of PROPORTION_OPTIONS) {
      if (request[option] !== undefined) {
        throw new ChatmarkError(
          'invalid_request',
          `${option} applies to proportions ({n, x} arms), not to plain values`,
          option,
        );
      }
    }
    return compareValues({ baseline, variant, counts: request.counts });
  }
  if (typeof baseline !== 'number' && typeof variant !== 'number') {
    if (request.counts !== undefined) {
      throw new ChatmarkError(
        'invalid_request',
        'counts applies to plain values, not to {n, x} arms',
        'counts',
      );
    }
    return compareArms({
      baseline,
      variant,
      weights: request.weights,
      minConversions: request.minConversions,
      plannedSampleSize: request.plannedSampleSize,
      rollbackThreshold: request.rollbackThreshold,
      minimumEffect: request.minimumEffect,
    });
  }
  throw new ChatmarkError(
    'invalid_request',
    'baseline and variant must both be {n, x} arms (proportions) or both be numbers (values)',
    typeof baseline === 'number' ? 'baseline' : 'variant',
  );
}
