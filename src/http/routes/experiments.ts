import { ChatmarkError } from '../../domain/errors.js';
import { compare, type DecisionMetric } from '../../domain/stats/compare.js';
import {
  type BaselineMetrics,
  campaignReviews,
  createExperiment,
  experimentResults,
  getBaseline,
  listExperiments,
  type ReviewDay,
  saveReviewNotes,
  takeBaseline,
} from '../../services/experiments.service.js';
import { requireCampaign } from '../../services/campaigns.service.js';
import type { BaselineRecord, ExperimentRecord } from '../../store/experiments.repository.js';
import type { AppContext, ZodApp } from '../app.js';
import { idParam, toIso } from '../contract/common.js';
import {
  baselineView as baselineSchema,
  compareBody,
  comparison,
  type Experiment,
  experimentBody,
  experimentList,
  experimentResults as experimentResultsView,
  experimentView as experimentSchema,
  periodQuery,
  reviewNotesBody,
  reviewNotesView,
  reviewParams,
  reviewsQuery,
  reviewsView,
} from '../contract/experiments.js';

function experimentView(e: ExperimentRecord): Experiment {
  // Stored experiments were checked against DECISION_METRICS when created (the serializer checks again).
  return {
    ...e,
    decisionMetric: e.decisionMetric as DecisionMetric,
    createdAt: new Date(e.createdAt).toISOString(),
  };
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
          response: { 200: comparison },
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
          response: { 201: experimentSchema },
        },
      },
      async (request, reply) => {
        const experiment = await createExperiment(ctx.store.db, request.params.id, request.body, ctx.now());
        return reply.status(201).send(experimentView(experiment));
      },
    );

    app.get(
      '/api/campaigns/:id/experiments',
      {
        config: { role: 'viewer' },
        schema: {
          tags,
          summary: "A campaign's experiments",
          params: idParam,
          response: { 200: experimentList },
        },
      },
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
          querystring: periodQuery,
          response: { 200: experimentResultsView },
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
            metric: experiment.decisionMetric as DecisionMetric,
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
          response: { 201: baselineSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(baselineView(await takeBaseline(ctx.store.db, request.params.id, ctx.now()))),
    );

    app.get(
      '/api/campaigns/:id/baseline',
      {
        config: { role: 'viewer' },
        schema: {
          tags,
          summary: "The campaign's latest baseline snapshot",
          params: idParam,
          response: { 200: baselineSchema },
        },
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
          querystring: reviewsQuery,
          response: { 200: reviewsView },
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
          body: reviewNotesBody,
          response: { 200: reviewNotesView },
        },
      },
      async (request) => {
        const { id, day } = request.params;
        const saved = await saveReviewNotes(ctx.store.db, id, day, request.body.notes, ctx.now());
        return {
          campaignId: saved.campaignId,
          day: saved.day as ReviewDay,
          notes: saved.notes,
          updatedAt: toIso(saved.updatedAt),
        };
      },
    );
  };
}
