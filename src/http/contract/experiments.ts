import { z } from 'zod';
import { DECISION_METRICS } from '../../domain/stats/compare.js';
import { REVIEW_DAYS } from '../../domain/review-days.js';
import { isoDate } from './common.js';

/**
 * Experiments (spec/metrics.md §3): the stateless comparison, experiments stored on a campaign and
 * their results, the campaign's baseline snapshot and its day 3 / 7 / 14 reviews.
 */

export const decisionMetric = z.enum(DECISION_METRICS);
export type DecisionMetric = z.infer<typeof decisionMetric>;
export const verdict = z.enum(['ship', 'hold', 'rollback']);
export type Verdict = z.infer<typeof verdict>;
/** The rule of spec/metrics.md §3 that decided the verdict. */
export const verdictRule = z.enum(['srm', 'sample', 'rollback', 'ship', 'inconclusive']);
export type VerdictRule = z.infer<typeof verdictRule>;
export const reviewDay = z.literal([...REVIEW_DAYS]);
export type ReviewDay = z.infer<typeof reviewDay>;

const arm = z
  .object({
    n: z.number().describe('units (e.g. chats started)'),
    x: z.number().describe('successes among them (e.g. purchases)'),
  })
  .strict();
export type ArmCounts = z.infer<typeof arm>;

export const compareBody = z
  .object({
    baseline: z.union([arm, z.number()]).describe('{n, x} for proportions, or a plain value'),
    variant: z.union([arm, z.number()]).describe('{n, x} for proportions, or a plain value'),
    counts: z
      .boolean()
      .optional()
      .describe('values only: both are counts with equal exposure (Poisson test)'),
    weights: z
      .tuple([z.number(), z.number()])
      .optional()
      .describe('proportions only: the planned [baseline, variant] split, for the sample-ratio check'),
    minConversions: z.number().optional().describe('minimum conversions in the larger arm (default 150)'),
    plannedSampleSize: z.number().nullable().optional().describe('planned units per arm'),
    rollbackThreshold: z
      .number()
      .optional()
      .describe('a fraction: roll back when the CI is entirely below −threshold'),
    minimumEffect: z.number().optional().describe('a fraction: ship when the CI is entirely above it'),
  })
  .strict();
export type CompareBody = z.input<typeof compareBody>;

const nullableNumber = z.number().nullable();
const interval = z.tuple([z.number(), z.number()]).nullable().describe('95% CI of the relative change');

/** The answer for two {n, x} arms. */
export const proportionsComparison = z.object({
  mode: z.literal('proportions'),
  relativeChange: nullableNumber,
  ci: interval,
  pValue: nullableNumber,
  verdict,
  reason: z.string().describe('the verdict in words, with the numbers behind it'),
  rule: verdictRule,
  baselineRate: nullableNumber,
  variantRate: nullableNumber,
  se: nullableNumber,
  df: nullableNumber,
  zTest: z
    .object({ z: nullableNumber, pValue: nullableNumber })
    .describe('the pooled two-proportion z-test, oriented variant − baseline'),
  srm: z
    .object({ chi2: nullableNumber, pValue: nullableNumber, mismatch: z.boolean() })
    .optional()
    .describe('the sample-ratio check, present when a planned split was given'),
  minimumSample: nullableNumber.describe('units per arm to detect the observed lift; null without a lift'),
});
export type ProportionsComparison = z.output<typeof proportionsComparison>;

/** The answer for two plain values: no interval, so no verdict. */
export const valuesComparison = z.object({
  mode: z.literal('values'),
  relativeChange: nullableNumber,
  ci: interval,
  pValue: nullableNumber,
  verdict: verdict.nullable(),
  reason: z.string(),
  rule: verdictRule.nullable(),
  z: nullableNumber.describe('the Poisson z with `counts`, else null'),
});

export const comparison = z.discriminatedUnion('mode', [proportionsComparison, valuesComparison]);
export type Comparison = z.output<typeof comparison>;

const linkIds = z.array(z.number().int().positive()).min(1).max(100);
export const experimentBody = z
  .object({
    name: z.string().min(1).max(200),
    decisionMetric,
    baselineLinkIds: linkIds,
    variantLinkIds: linkIds,
    expectedWeights: z
      .tuple([z.number().positive(), z.number().positive()])
      .nullable()
      .optional()
      .describe('the planned [baseline, variant] split of link clicks; enables the sample-ratio check'),
    minConversions: z.number().int().min(0).optional().describe('default 150'),
    plannedSampleSize: z.number().int().positive().nullable().optional(),
    minimumEffect: z.number().min(0).optional().describe('a fraction, default 0'),
    rollbackThreshold: z.number().min(0).optional().describe('a fraction, default 0'),
  })
  .strict();
export type ExperimentBody = z.input<typeof experimentBody>;

/** A stored experiment. Fractions: 0.02 is 2%. */
export const experimentView = z.object({
  id: z.number(),
  campaignId: z.number(),
  name: z.string(),
  decisionMetric,
  baselineLinkIds: z.array(z.number()),
  variantLinkIds: z.array(z.number()),
  expectedWeights: z.tuple([z.number(), z.number()]).nullable(),
  minConversions: z.number(),
  plannedSampleSize: z.number().nullable(),
  minimumEffect: z.number(),
  rollbackThreshold: z.number(),
  createdAt: z.string(),
});
export type Experiment = z.output<typeof experimentView>;

export const experimentList = z.object({ experiments: z.array(experimentView) });
export type ExperimentList = z.output<typeof experimentList>;

export const periodQuery = z.object({ from: isoDate.optional(), to: isoDate.optional() }).strict();

/** The funnel counts of a link group or a campaign over a period (human clicks only). */
const funnelTally = z.object({
  link_clicks: z.number(),
  landing_visits: z.number(),
  chats_started: z.number(),
  qualified: z.number(),
  conversions: z.number(),
});
export type FunnelTally = z.output<typeof funnelTally>;

const experimentArm = funnelTally.extend({
  linkIds: z.array(z.number()),
  rate: nullableNumber.describe('the decision metric of this arm'),
});
export type ExperimentArm = z.output<typeof experimentArm>;

/** The arms counted from the store and compared on the experiment's decision metric. */
export const experimentResults = proportionsComparison.extend({
  experiment: experimentView,
  parameters: z.object({
    from: z.string(),
    to: z.string(),
    metric: decisionMetric,
    conversion: z.string(),
  }),
  arms: z.object({ baseline: experimentArm, variant: experimentArm }),
});
export type ExperimentResults = z.output<typeof experimentResults>;

/** The campaign's counts and rates when the snapshot was taken. */
export const baselineView = z.object({
  campaignId: z.number(),
  takenAt: z.string(),
  metrics: funnelTally.extend({
    conversion: z.string(),
    click_to_message_rate: nullableNumber,
    chat_start_rate: nullableNumber,
    qualification_rate: nullableNumber,
    conversion_rate: nullableNumber,
  }),
});
export type Baseline = z.output<typeof baselineView>;

export const reviewsQuery = z.object({ metric: decisionMetric.optional() }).strict();

const counts = z.object({ x: z.number(), n: z.number() });
/** One post-launch review: expected (the baseline) vs actual (launch to launch + day). */
export const reviewView = z.object({
  day: reviewDay,
  dueAt: z.string(),
  due: z.boolean(),
  from: z.string(),
  to: z.string(),
  expected: nullableNumber.describe("the baseline's value of the decision metric; null without a baseline"),
  actual: nullableNumber.describe('the metric over the period; null before the review is due'),
  relativeChange: nullableNumber,
  ci: z.tuple([z.number(), z.number()]).nullable(),
  pValue: nullableNumber,
  verdict: verdict.nullable(),
  rule: z
    .enum([...verdictRule.options, 'health_check'])
    .nullable()
    .describe('`health_check`: day 3 held back a ship'),
  reason: z.string(),
  counts: z.object({ expected: counts.nullable(), actual: counts }).nullable(),
  notes: z.string().nullable(),
  notesUpdatedAt: z.string().nullable(),
});
export type Review = z.output<typeof reviewView>;

export const reviewsView = z.object({
  campaignId: z.number(),
  launchedAt: z.string(),
  metric: decisionMetric,
  conversion: z.string(),
  experimentId: z.number().nullable(),
  baseline: z.object({ takenAt: z.string(), value: nullableNumber }).nullable(),
  reviews: z.array(reviewView),
});
export type Reviews = z.output<typeof reviewsView>;

export const reviewParams = z.object({
  id: z.coerce.number().int().positive(),
  day: z.coerce.number().pipe(reviewDay),
});
export const reviewNotesBody = z.object({ notes: z.string().max(10_000) }).strict();
export const reviewNotesView = z.object({
  campaignId: z.number(),
  day: reviewDay,
  notes: z.string(),
  updatedAt: z.string().nullable(),
});
export type ReviewNotes = z.output<typeof reviewNotesView>;
