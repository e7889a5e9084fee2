import { z } from 'zod';
import { ChatmarkError } from '../../domain/errors.js';
import { compare, DECISION_METRICS } from '../../domain/stats/compare.js';
import {
  type BaselineMetrics,
  campaignReviews,
  createExperiment,
  experimentResults,
  getBaseline,
  listExperiments,
  REVIEW_DAYS,
  saveReviewNotes,
  takeBaseline,
} from '../../services/experiments.service.js';
import { requireCampaign } from '../../services/campaigns.service.js';
import type { BaselineRecord, ExperimentRecord } from '../../store/experiments.repository.js';
import type { AppContext, ZodApp } from '../app.js';
import { idParam, isoDate, toIso } from '../schemas.js';

const arm = z
  .object({
    n: z.number().describe('units (e.g. chats started)'),
    x: z.number().describe('successes among them (e.g. purchases)'),
  })
  .strict();

const compareBody = z
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

const nullableNumber = z.number().nullable();
const compareView = z.object({
  mode: z.enum(['proportions', 'values']),
  relativeChange: nullableNumber,
  ci: z.tuple([z.number(), z.number()]).nullable(),
  pValue: nullableNumber,
  verdict: z.enum(['ship', 'hold', 'rollback']).nullable(),
  reason: z.string(),
  rule: z.enum(['srm', 'sample', 'rollback', 'ship', 'inconclusive']).nullable(),
  baselineRate: nullableNumber.optional(),
  variantRate: nullableNumber.optional(),
  se: nullableNumber.optional(),
  df: nullableNumber.optional(),
  zTest: z.object({ z: nullableNumber, pValue: nullableNumber }).optional(),
  srm: z.object({ chi2: nullableNumber, pValue: nullableNumber, mismatch: z.boolean() }).optional(),
  minimumSample: nullableNumber.optional(),
  z: nullableNumber.optional(),
});

const linkIds = z.array(z.number().int().positive()).min(1).max(100);
const experimentBody = z
  .object({
    name: z.string().min(1).max(200),
    decisionMetric: z.enum(DECISION_METRICS),
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

const reviewParams = z.object({
  id: z.coerce.number().int().positive(),
  day: z.coerce.number().pipe(z.literal([...REVIEW_DAYS])),
});

function experimentView(e: ExperimentRecord) {
  return { ...e, createdAt: new Date(e.createdAt).toISOString() };
}

function baselineView(b: BaselineRecord<BaselineMetrics>) {
  return { campaignId: b.campaignId, takenAt: new Date(b.takenAt).toISOString(), metrics: b.metrics };
}

/**
 * Experiments (spec/metrics.md §3): `POST /api/experiments/compare` (stateless, any role),
 * experiments stored on a campaign and their results, the campaign's baseline snapshot and its
 * day 3 / 7 / 14 reviews.
 */
export function experimentRoutes() {
  return (app: ZodApp, ctx: AppContext): void => {
    const tags = ['experiments'];

    app.post(
      '/api/experiments/compare',
      {
        config: { role: 'viewer' },
        schema: {
          tags,
          summary:
            'Compare a baseline and a variant: relative change, CI, p-value, sample-ratio check, verdict',
          description:
            'Proportions ({n, x} arms): GrowthBook’s relative-lift t-test, the pooled z-test, the sample-ratio check when weights are given, the minimum sample at the observed rates, and the verdict ship / hold / rollback with its reason. Plain values: the relative change; with counts, the Poisson test.',
          body: compareBody,
          response: { 200: compareView },
        },
      },
      async (request) => compare(request.body),
    );

    app.post(
      '/api/campaigns/:id/experiments',
      {
        config: { role: 'editor' },
        schema: {
          tags,
          summary:
            'Define an experiment: a baseline and a variant link group compared on one decision metric',
          params: idParam,
          body: experimentBody,
        },
      },
      async (request, reply) => {
        const experiment = await createExperiment(ctx.store.db, request.params.id, request.body, ctx.now());
        return reply.status(201).send(experimentView(experiment));
      },
    );

    app.get(
      '/api/campaigns/:id/experiments',
      { config: { role: 'viewer' }, schema: { tags, summary: "A campaign's experiments", params: idParam } },
      async (request) => {
        await requireCampaign(ctx.store.db, request.params.id);
        return { experiments: (await listExperiments(ctx.store.db, request.params.id)).map(experimentView) };
      },
    );

    app.get(
      '/api/experiments/:id/results',
      {
        config: { role: 'viewer' },
        schema: {
          tags,
          summary: "An experiment's arms counted from the store and compared on its decision metric",
          description:
            "Counts each arm's links directly (human clicks, first chats, qualified, the campaign's primary conversion) over [from, to), by default from the campaign's launch (at most 366 days back) to now; a period longer than 366 days is refused (range_too_long).",
          params: idParam,
          querystring: z.object({ from: isoDate.optional(), to: isoDate.optional() }).strict(),
        },
      },
      async (request) => {
        const { from, to } = request.query;
        const results = await experimentResults(
          ctx.store.db,
          request.params.id,
          {
            from: from === undefined ? undefined : Date.parse(from),
            to: to === undefined ? undefined : Date.parse(to),
          },
          ctx.now(),
        );
        const { experiment, comparison, arms } = results;
        return {
          experiment: experimentView(experiment),
          parameters: {
            from: new Date(results.from).toISOString(),
            to: new Date(results.to).toISOString(),
            metric: experiment.decisionMetric,
            conversion: results.conversion,
          },
          arms: {
            baseline: {
              linkIds: experiment.baselineLinkIds,
              ...arms.baseline,
              rate: comparison.baselineRate,
            },
            variant: { linkIds: experiment.variantLinkIds, ...arms.variant, rate: comparison.variantRate },
          },
          ...comparison,
        };
      },
    );

    app.post(
      '/api/campaigns/:id/baseline',
      {
        config: { role: 'editor' },
        schema: {
          tags,
          summary: "Snapshot the campaign's counts and rates now: the expected values of its reviews",
          params: idParam,
        },
      },
      async (request, reply) =>
        reply.status(201).send(baselineView(await takeBaseline(ctx.store.db, request.params.id, ctx.now()))),
    );

    app.get(
      '/api/campaigns/:id/baseline',
      {
        config: { role: 'viewer' },
        schema: { tags, summary: "The campaign's latest baseline snapshot", params: idParam },
      },
      async (request) => {
        const baseline = await getBaseline(ctx.store.db, request.params.id);
        if (!baseline) {
          throw new ChatmarkError('baseline_not_found', `Campaign ${request.params.id} has no baseline yet`);
        }
        return baselineView(baseline);
      },
    );

    app.get(
      '/api/campaigns/:id/reviews',
      {
        config: { role: 'viewer' },
        schema: {
          tags,
          summary: 'Day 3, 7 and 14 reviews: expected vs actual for the decision metric, verdict, notes',
          description:
            "The decision metric and thresholds come from the campaign's latest experiment (else conversion_rate and the defaults) unless `metric` is given. Day 3 is a health check only: it never ships.",
          params: idParam,
          querystring: z.object({ metric: z.enum(DECISION_METRICS).optional() }).strict(),
        },
      },
      async (request) => {
        const reviews = await campaignReviews(
          ctx.store.db,
          request.params.id,
          ctx.now(),
          request.query.metric,
        );
        return {
          ...reviews,
          launchedAt: new Date(reviews.launchedAt).toISOString(),
          baseline: reviews.baseline && {
            takenAt: new Date(reviews.baseline.takenAt).toISOString(),
            value: reviews.baseline.value,
          },
          reviews: reviews.reviews.map((r) => ({
            ...r,
            dueAt: new Date(r.dueAt).toISOString(),
            from: new Date(r.from).toISOString(),
            to: new Date(r.to).toISOString(),
            notesUpdatedAt: toIso(r.notesUpdatedAt),
          })),
        };
      },
    );

    app.put(
      '/api/campaigns/:id/reviews/:day',
      {
        config: { role: 'editor' },
        schema: {
          tags,
          summary: 'Record the root-cause notes of the day 3, 7 or 14 review',
          params: reviewParams,
          body: z.object({ notes: z.string().max(10_000) }).strict(),
        },
      },
      async (request) => {
        const { id, day } = request.params;
        const saved = await saveReviewNotes(ctx.store.db, id, day, request.body.notes, ctx.now());
        return {
          campaignId: saved.campaignId,
          day: saved.day,
          notes: saved.notes,
          updatedAt: toIso(saved.updatedAt),
        };
      },
    );
  };
}
