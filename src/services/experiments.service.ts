import { checkRange, MAX_RANGE_MS } from '../domain/date-range.js';
import { ChatmarkError } from '../domain/errors.js';
import { computeKpis } from '../domain/funnel.js';
import { REVIEW_DAYS, type ReviewDay } from '../domain/review-days.js';
import { DEFAULT_MIN_CONVERSIONS } from '../domain/stats/index.js';
import type { CampaignRecord } from '../store/campaigns.repository.js';
import type { Db } from '../store/db.js';
import {
  type BaselineRecord,
  countFunnel,
  type ExperimentFields,
  type ExperimentRecord,
  type FunnelTally,
  getExperiment,
  insertBaseline,
  insertExperiment,
  latestBaseline,
  listExperiments,
  listReviewNotes,
  upsertReviewNotes,
} from '../store/experiments.repository.js';
import { getLink } from '../store/links.repository.js';
import { requireCampaign } from './campaigns.service.js';
import {
  compareArms,
  type DecisionMetric,
  METRIC_PARTS,
  type ProportionsResult,
} from '../domain/stats/compare.js';

/**
 * Experiments, baseline snapshots and post-launch reviews of a campaign (DESIGN.md "Campaigns,
 * experiments and reviews", spec/metrics.md §3). Arms are link groups; their counts are read
 * directly from the store by link id (countFunnel), so each event counts for the arm of the link it
 * was matched to, with no attribution model in between.
 */

const DAY = 86_400_000;
export { REVIEW_DAYS, type ReviewDay };

export type ExperimentInput = Omit<
  ExperimentFields,
  | 'campaignId'
  | 'expectedWeights'
  | 'minConversions'
  | 'plannedSampleSize'
  | 'minimumEffect'
  | 'rollbackThreshold'
> &
  Partial<
    Pick<
      ExperimentFields,
      'expectedWeights' | 'minConversions' | 'plannedSampleSize' | 'minimumEffect' | 'rollbackThreshold'
    >
  >;

/** When a campaign went live: its start time, else when it was created. */
export function launchOf(campaign: CampaignRecord): number {
  return campaign.startsAt ?? campaign.createdAt;
}

/**
 * Defines an experiment on a campaign: every link must be the campaign's, and no link may be in
 * both arms (an event would count twice).
 */
export async function createExperiment(
  db: Db,
  campaignId: number,
  input: ExperimentInput,
  now: number,
): Promise<ExperimentRecord> {
  await requireCampaign(db, campaignId);
  for (const arm of ['baselineLinkIds', 'variantLinkIds'] as const) {
    const ids = input[arm];
    if (ids.length === 0) throw new ChatmarkError('missing_field', `${arm} needs at least one link`, arm);
    for (const [i, id] of ids.entries()) {
      if (ids.indexOf(id) !== i)
        throw new ChatmarkError('duplicate_link', `link ${id} is listed twice`, `${arm}.${i}`);
      const link = await getLink(db, id);
      if (!link) throw new ChatmarkError('unknown_link', `No link ${id}`, `${arm}.${i}`);
      if (link.campaignId !== campaignId) {
        throw new ChatmarkError(
          'link_not_in_campaign',
          `link ${id} belongs to ${link.campaignId === null ? 'no campaign' : `campaign ${link.campaignId}`}, not campaign ${campaignId}`,
          `${arm}.${i}`,
        );
      }
    }
  }
  const shared = input.variantLinkIds.findIndex((id) => input.baselineLinkIds.includes(id));
  if (shared !== -1) {
    throw new ChatmarkError(
      'overlapping_arms',
      `link ${input.variantLinkIds[shared]} is in both the baseline and the variant`,
      `variantLinkIds.${shared}`,
    );
  }
  return insertExperiment(
    db,
    {
      campaignId,
      name: input.name,
      decisionMetric: input.decisionMetric,
      baselineLinkIds: input.baselineLinkIds,
      variantLinkIds: input.variantLinkIds,
      expectedWeights: input.expectedWeights ?? null,
      minConversions: input.minConversions ?? DEFAULT_MIN_CONVERSIONS,
      plannedSampleSize: input.plannedSampleSize ?? null,
      minimumEffect: input.minimumEffect ?? 0,
      rollbackThreshold: input.rollbackThreshold ?? 0,
    },
    now,
  );
}

export async function requireExperiment(db: Db, id: number): Promise<ExperimentRecord> {
  const experiment = await getExperiment(db, id);
  if (!experiment) throw new ChatmarkError('experiment_not_found', `No experiment ${id}`, 'id');
  return experiment;
}

export { listExperiments };

export interface ExperimentResults {
  experiment: ExperimentRecord;
  /** The period counted, epoch ms, and the conversion event (the campaign's primary conversion). */
  from: number;
  to: number;
  conversion: string;
  arms: { baseline: FunnelTally; variant: FunnelTally };
  comparison: ProportionsResult;
}

/**
 * The experiment's arms counted over [from, to) (default: from the campaign's launch to now) and
 * compared on its decision metric. The sample-ratio check (when a split was planned) counts human
 * link clicks, the unit the split assigns: chats and conversions come after the treatment, so an
 * effect on them would be mistaken for a broken split.
 */
export async function experimentResults(
  db: Db,
  id: number,
  range: { from?: number | undefined; to?: number | undefined },
  now: number,
): Promise<ExperimentResults> {
  const experiment = await requireExperiment(db, id);
  const campaign = await requireCampaign(db, experiment.campaignId);
  const to = range.to ?? now;
  // By default from the launch, but never more than the longest period one read may cover.
  let from = range.from ?? Math.max(launchOf(campaign), to - MAX_RANGE_MS);
  if (range.from !== undefined || range.to !== undefined) {
    checkRange(from, to);
  } else {
    from = Math.min(from, to); // a campaign that starts later has nothing to count yet
  }
  const conversion = campaign.primaryConversion;
  const baseline = await countFunnel(db, { linkIds: experiment.baselineLinkIds }, from, to, conversion);
  const variant = await countFunnel(db, { linkIds: experiment.variantLinkIds }, from, to, conversion);
  const parts = METRIC_PARTS[experiment.decisionMetric as DecisionMetric];
  const comparison = compareArms({
    baseline: { n: baseline[parts.n], x: baseline[parts.x] },
    variant: { n: variant[parts.n], x: variant[parts.x] },
    weights: experiment.expectedWeights,
    srmUnits: [baseline.link_clicks, variant.link_clicks],
    minConversions: experiment.minConversions,
    plannedSampleSize: experiment.plannedSampleSize,
    rollbackThreshold: experiment.rollbackThreshold,
    minimumEffect: experiment.minimumEffect,
    strict: false,
  });
  return { experiment, from, to, conversion, arms: { baseline, variant }, comparison };
}

/** A baseline snapshot's metrics: the campaign's counts up to the snapshot and its funnel rates. */
export interface BaselineMetrics extends FunnelTally {
  conversion: string;
  click_to_message_rate: number | null;
  chat_start_rate: number | null;
  qualification_rate: number | null;
  conversion_rate: number | null;
}

/** The funnel rates (DESIGN.md formulas, computeKpis) of a tally; null for a zero denominator. */
function ratesOf(tally: FunnelTally) {
  const kpis = computeKpis({ currency: 'XXX', spend: 0, impressions: 0, reach: 0, revenue: 0, ...tally });
  return {
    click_to_message_rate: kpis.click_to_message_rate,
    chat_start_rate: kpis.chat_start_rate,
    qualification_rate: kpis.qualification_rate,
    conversion_rate: kpis.conversion_rate,
  };
}

/**
 * Stores the campaign's baseline: everything counted up to `now` (take it before launch: it is the
 * "expected" of the day 3 / 7 / 14 reviews).
 */
export async function takeBaseline(
  db: Db,
  campaignId: number,
  now: number,
): Promise<BaselineRecord<BaselineMetrics>> {
  const campaign = await requireCampaign(db, campaignId);
  const conversion = campaign.primaryConversion;
  const tally = await countFunnel(db, { campaignId }, 0, now, conversion);
  return insertBaseline<BaselineMetrics>(db, campaignId, { conversion, ...tally, ...ratesOf(tally) }, now);
}

export async function getBaseline(
  db: Db,
  campaignId: number,
): Promise<BaselineRecord<BaselineMetrics> | undefined> {
  await requireCampaign(db, campaignId);
  return latestBaseline<BaselineMetrics>(db, campaignId);
}

export interface Review {
  day: ReviewDay;
  dueAt: number;
  /** dueAt ≤ now. */
  due: boolean;
  /** The period the actual value covers: launch to launch + day. */
  from: number;
  to: number;
  /** The baseline's value of the decision metric; null without a baseline. */
  expected: number | null;
  /** The metric over the period; null before the review is due. */
  actual: number | null;
  relativeChange: number | null;
  ci: [number, number] | null;
  pValue: number | null;
  verdict: 'ship' | 'hold' | 'rollback' | null;
  /** The rule of spec/metrics.md §3 that decided, or `health_check` when day 3 held back a ship. */
  rule: ProportionsResult['rule'] | 'health_check' | null;
  reason: string;
  counts: { expected: { x: number; n: number } | null; actual: { x: number; n: number } } | null;
  notes: string | null;
  notesUpdatedAt: number | null;
}

export interface Reviews {
  campaignId: number;
  launchedAt: number;
  metric: DecisionMetric;
  conversion: string;
  /** The experiment whose thresholds (minimum conversions, effect, rollback) the verdicts use. */
  experimentId: number | null;
  baseline: { takenAt: number; value: number | null } | null;
  reviews: Review[];
}

const HEALTH_CHECK =
  'Day 3 is a health check only (repeated looks at a fixed-horizon test inflate false positives; decide at day 7 or 14)';

/**
 * The day 3, 7 and 14 reviews of a campaign: expected (the baseline) vs actual (launch to that
 * day) for the decision metric, with the §3 verdict and the recorded root-cause notes. The metric
 * and thresholds come from the campaign's latest experiment unless `metric` is given (default
 * conversion_rate). Day 3 never ships: a "ship" there becomes "hold" (rule `health_check`).
 */
export async function campaignReviews(
  db: Db,
  campaignId: number,
  now: number,
  metric?: DecisionMetric,
): Promise<Reviews> {
  const campaign = await requireCampaign(db, campaignId);
  const experiment = (await listExperiments(db, campaignId)).at(-1);
  const decisionMetric =
    metric ?? (experiment?.decisionMetric as DecisionMetric | undefined) ?? 'conversion_rate';
  const parts = METRIC_PARTS[decisionMetric];
  const baseline = await latestBaseline<BaselineMetrics>(db, campaignId);
  const expectedCounts = baseline ? { x: baseline.metrics[parts.x], n: baseline.metrics[parts.n] } : null;
  const notes = new Map((await listReviewNotes(db, campaignId)).map((r) => [r.day, r]));
  const launchedAt = launchOf(campaign);
  const conversion = campaign.primaryConversion;

  const reviews: Review[] = [];
  for (const day of REVIEW_DAYS) {
    const dueAt = launchedAt + day * DAY;
    const note = notes.get(day);
    const base = {
      day,
      dueAt,
      due: now >= dueAt,
      from: launchedAt,
      to: dueAt,
      expected: baseline ? baseline.metrics[decisionMetric] : null,
      notes: note?.notes ?? null,
      notesUpdatedAt: note?.updatedAt ?? null,
    };
    const none = { relativeChange: null, ci: null, pValue: null, verdict: null, rule: null };
    if (!base.due) {
      reviews.push({
        ...base,
        ...none,
        actual: null,
        counts: null,
        reason: `Not due yet: the day ${day} review is due at ${new Date(dueAt).toISOString()}.`,
      });
      continue;
    }
    const tally = await countFunnel(db, { campaignId }, launchedAt, dueAt, conversion);
    const actualCounts = { x: tally[parts.x], n: tally[parts.n] };
    const actual = actualCounts.n === 0 ? null : actualCounts.x / actualCounts.n;
    if (!expectedCounts) {
      reviews.push({
        ...base,
        ...none,
        actual,
        counts: { expected: null, actual: actualCounts },
        reason: `No baseline snapshot to compare with: take one with POST /api/campaigns/${campaignId}/baseline before launch.`,
      });
      continue;
    }
    const comparison = compareArms({
      baseline: expectedCounts,
      variant: actualCounts,
      ...(experiment && {
        minConversions: experiment.minConversions,
        plannedSampleSize: experiment.plannedSampleSize,
        rollbackThreshold: experiment.rollbackThreshold,
        minimumEffect: experiment.minimumEffect,
      }),
      strict: false,
    });
    let { verdict, reason } = comparison;
    let rule: Review['rule'] = comparison.rule;
    if (day === 3) {
      if (verdict === 'ship') {
        verdict = 'hold';
        rule = 'health_check';
        reason = `${HEALTH_CHECK}: the rules would ship, but a day-3 look does not decide. ${reason}`;
      } else {
        reason = `${HEALTH_CHECK}. ${reason}`;
      }
    }
    reviews.push({
      ...base,
      actual,
      relativeChange: comparison.relativeChange,
      ci: comparison.ci,
      pValue: comparison.pValue,
      verdict,
      rule,
      reason,
      counts: { expected: expectedCounts, actual: actualCounts },
    });
  }
  return {
    campaignId,
    launchedAt,
    metric: decisionMetric,
    conversion,
    experimentId: experiment?.id ?? null,
    baseline: baseline ? { takenAt: baseline.takenAt, value: baseline.metrics[decisionMetric] } : null,
    reviews,
  };
}

/** Records the root-cause notes of one review day (3, 7 or 14). */
export async function saveReviewNotes(
  db: Db,
  campaignId: number,
  day: ReviewDay,
  notes: string,
  now: number,
) {
  await requireCampaign(db, campaignId);
  return upsertReviewNotes(db, { campaignId, day, notes }, now);
}
