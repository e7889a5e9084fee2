import { ChatmarkError } from '../errors.js';
import { SRM_P_THRESHOLD } from './srm.js';
import { checkCount, checkNumber, checkProbability } from './validate.js';

export type VerdictName = 'ship' | 'hold' | 'rollback';
/** Which rule of spec/metrics.md §3 "Verdict" decided; `inconclusive` is rule 5. */
export type VerdictRule = 'srm' | 'sample' | 'rollback' | 'ship' | 'inconclusive';

/** A metric's relative change and its confidence interval, as compareProportions returns them. */
export interface MetricEffect {
  relativeChange: number | null;
  ci: readonly [number, number] | null;
  /** 'higher' (default) when an increase is good (conversion rate); 'lower' for CPA, refund rate. */
  betterWhen?: 'higher' | 'lower';
}

export interface Guardrail extends MetricEffect {
  name: string;
}

export interface VerdictInput {
  /** The experiment's one decision metric. */
  decision: MetricEffect;
  /** Conversions of the decision metric per arm (fractional credits allowed). */
  conversions: { baseline: number; variant: number };
  /** Units per arm (e.g. chats started); required with plannedSampleSize. */
  units?: { baseline: number; variant: number };
  /** The sample-ratio check's p-value; null or absent when it was not run. */
  srmPValue?: number | null;
  /** Minimum conversions in the larger arm, default 150. */
  minConversions?: number;
  /** Planned units per arm (sampleSizePerArm); each arm must reach it. */
  plannedSampleSize?: number | null;
  /** Roll back when the CI lies entirely beyond −threshold on the bad side. Default 0. */
  rollbackThreshold?: number;
  /** Ship only when the CI lies entirely beyond this on the good side. Default 0. */
  minimumEffect?: number;
  /** Metrics that must not get significantly worse (CI entirely on the bad side of 0). */
  guardrails?: readonly Guardrail[];
}

export interface Verdict {
  verdict: VerdictName;
  /** In words, with the numbers behind it. */
  reason: string;
  rule: VerdictRule;
}

export const DEFAULT_MIN_CONVERSIONS = 150;

/** +4.00%, -6.10%, 0.00%. */
function percent(value: number | null): string {
  if (value === null) return 'n/a';
  const text = (value * 100).toFixed(2);
  if (text === '0.00' || text === '-0.00') return '0.00%';
  return `${value > 0 ? '+' : ''}${text}%`;
}

/** Whole counts as they are; fractional credits (linear attribution) to 2 decimals. */
function count(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function pValueText(p: number): string {
  return p < 0.001 ? p.toExponential(2) : p.toFixed(4);
}

function interval(ci: readonly [number, number]): string {
  return `[${percent(ci[0])}, ${percent(ci[1])}]`;
}

/** The CI re-expressed as improvement: for a lower-is-better metric, a fall is a gain. */
function improvement(effect: MetricEffect, ci: readonly [number, number]): [number, number] {
  return effect.betterWhen === 'lower' ? [-ci[1], -ci[0]] : [ci[0], ci[1]];
}

function checkEffect(effect: MetricEffect, field: string): void {
  if (effect.relativeChange !== null) checkNumber(effect.relativeChange, `${field}.relativeChange`);
  if (effect.ci === null) return;
  const [low, high] = effect.ci;
  checkNumber(low, `${field}.ci`);
  checkNumber(high, `${field}.ci`);
  if (low > high)
    throw new ChatmarkError('invalid_number', `${field}.ci is [${low}, ${high}]: low > high`, `${field}.ci`);
}

function checkInput(input: VerdictInput): void {
  checkEffect(input.decision, 'decision');
  input.guardrails?.forEach((guardrail, i) => {
    checkEffect(guardrail, `guardrails[${i}]`);
  });
  checkCount(input.conversions.baseline, 'conversions.baseline', false);
  checkCount(input.conversions.variant, 'conversions.variant', false);
  if (input.units) {
    checkCount(input.units.baseline, 'units.baseline');
    checkCount(input.units.variant, 'units.variant');
  }
  if (input.srmPValue != null) checkProbability(input.srmPValue, 'srmPValue', true);
  if (input.minConversions !== undefined) checkCount(input.minConversions, 'minConversions');
  if (input.plannedSampleSize != null) {
    checkCount(input.plannedSampleSize, 'plannedSampleSize');
    if (!input.units) {
      throw new ChatmarkError(
        'missing_field',
        'units per arm are needed to check the planned sample size',
        'units',
      );
    }
  }
  if (input.rollbackThreshold !== undefined) checkNumber(input.rollbackThreshold, 'rollbackThreshold', true);
  if (input.minimumEffect !== undefined) checkNumber(input.minimumEffect, 'minimumEffect', true);
}

/**
 * Decides ship / hold / rollback by spec/metrics.md §3 "Verdict": the first rule that fires wins,
 * in order: sample-ratio mismatch → hold; too little data → hold; rollback criterion crossed →
 * rollback; CI lower bound above the minimum effect → ship; otherwise hold.
 *
 * @example
 * verdict({ decision: { relativeChange: 0.12, ci: [0.03, 0.21] }, conversions: { baseline: 400, variant: 450 } })
 * // { verdict: 'ship', rule: 'ship', reason: 'Ship: the decision metric moved +12.00% (CI [+3.00%, +21.00%]); …' }
 */
export function verdict(input: VerdictInput): Verdict {
  checkInput(input);
  const { decision, conversions } = input;

  // 1. A broken split makes every number below it untrustworthy, however large the lift.
  if (input.srmPValue != null && input.srmPValue < SRM_P_THRESHOLD) {
    return {
      verdict: 'hold',
      rule: 'srm',
      reason:
        `Sample ratio mismatch: SRM p = ${pValueText(input.srmPValue)} < ${SRM_P_THRESHOLD}. The split is broken, ` +
        "so the numbers can't be trusted; find the cause before deciding.",
    };
  }

  // 2. Minimum sample: conversions in the larger arm, and the planned units in every arm.
  const minConversions = input.minConversions ?? DEFAULT_MIN_CONVERSIONS;
  const larger = Math.max(conversions.baseline, conversions.variant);
  if (larger < minConversions) {
    return {
      verdict: 'hold',
      rule: 'sample',
      reason:
        `Not enough data: ${count(larger)} conversions in the larger arm (baseline ${count(conversions.baseline)}, ` +
        `variant ${count(conversions.variant)}); the minimum is ${minConversions}.`,
    };
  }
  if (input.plannedSampleSize != null && input.units) {
    const smaller = Math.min(input.units.baseline, input.units.variant);
    if (smaller < input.plannedSampleSize) {
      return {
        verdict: 'hold',
        rule: 'sample',
        reason:
          `Not enough data: ${smaller} units in the smaller arm (baseline ${input.units.baseline}, ` +
          `variant ${input.units.variant}); the plan needs ${input.plannedSampleSize} per arm.`,
      };
    }
  }

  // 3. Rollback: the decision metric is worse beyond the threshold, or a guardrail is worse at all.
  const threshold = input.rollbackThreshold ?? 0;
  const minimumEffect = input.minimumEffect ?? 0;
  const lowerIsBetter = decision.betterWhen === 'lower';
  const moved = decision.ci ? `moved ${percent(decision.relativeChange)} (CI ${interval(decision.ci)})` : '';
  if (decision.ci && improvement(decision, decision.ci)[1] < -threshold) {
    const bound = lowerIsBetter
      ? `lower bound ${percent(decision.ci[0])} is above the rollback threshold ${percent(threshold)} (lower is better)`
      : `upper bound ${percent(decision.ci[1])} is below the rollback threshold ${percent(-threshold)}`;
    return {
      verdict: 'rollback',
      rule: 'rollback',
      reason: `Roll back: the decision metric ${moved}; the CI ${bound}.`,
    };
  }
  const worse = (input.guardrails ?? []).filter((g) => g.ci !== null && improvement(g, g.ci)[1] < 0);
  if (worse.length > 0) {
    const list = worse
      .map((g) => {
        const side = g.betterWhen === 'lower' ? 'above 0, lower is better' : 'below 0';
        return `${g.name} ${percent(g.relativeChange)} (CI ${interval(g.ci!)}, entirely ${side})`;
      })
      .join('; ');
    const noun = worse.length === 1 ? 'a guardrail is' : `${worse.length} guardrails are`;
    return {
      verdict: 'rollback',
      rule: 'rollback',
      reason: `Roll back: ${noun} significantly worse: ${list}.`,
    };
  }

  if (!decision.ci) {
    return {
      verdict: 'hold',
      rule: 'inconclusive',
      reason:
        `Hold: the decision metric has no confidence interval (relative change ${percent(decision.relativeChange)}; ` +
        'a zero baseline, an arm with fewer than 2 units, or no variance), so the result is inconclusive.',
    };
  }

  // 4. Ship when the whole interval clears the minimum effect on the good side.
  if (improvement(decision, decision.ci)[0] > minimumEffect) {
    const bound = lowerIsBetter
      ? `upper bound ${percent(decision.ci[1])} is below the minimum effect ${percent(-minimumEffect)} (lower is better)`
      : `lower bound ${percent(decision.ci[0])} is above the minimum effect ${percent(minimumEffect)}`;
    return { verdict: 'ship', rule: 'ship', reason: `Ship: the decision metric ${moved}; the CI ${bound}.` };
  }

  // 5. Everything else: the interval straddles the bars.
  const bars = lowerIsBetter
    ? `below the minimum effect (${percent(-minimumEffect)}) nor entirely above the rollback threshold (${percent(threshold)}); lower is better`
    : `above the minimum effect (${percent(minimumEffect)}) nor entirely below the rollback threshold (${percent(-threshold)})`;
  return {
    verdict: 'hold',
    rule: 'inconclusive',
    reason: `Hold: the decision metric ${moved}; the CI is neither entirely ${bars}. The result is inconclusive.`,
  };
}
