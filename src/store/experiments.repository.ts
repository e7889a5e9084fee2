import type { Selectable } from 'kysely';
import { type Db, parseJson, toJson } from './db.js';
import type { ExperimentTable } from './schema.js';

/** What a person sets when defining an experiment (spec/metrics.md §3). */
export interface ExperimentFields {
  campaignId: number;
  name: string;
  /** conversion_rate | qualification_rate | click_to_message_rate | chat_start_rate */
  decisionMetric: string;
  baselineLinkIds: number[];
  variantLinkIds: number[];
  /** The planned [baseline, variant] split; null when none was planned (no sample-ratio check). */
  expectedWeights: [number, number] | null;
  minConversions: number;
  plannedSampleSize: number | null;
  /** Fractions: 0.02 is 2%. */
  minimumEffect: number;
  rollbackThreshold: number;
}

export interface ExperimentRecord extends ExperimentFields {
  id: number;
  createdAt: number;
}

export interface BaselineRecord<M = Record<string, unknown>> {
  id: number;
  campaignId: number;
  takenAt: number;
  metrics: M;
}

export interface ReviewNotes {
  campaignId: number;
  /** 3, 7 or 14. */
  day: number;
  notes: string;
  updatedAt: number;
}

/** The funnel counts of a link group or a campaign over [from, to). */
export interface FunnelTally {
  /** Human clicks (bots never count), from the hourly rollups. */
  link_clicks: number;
  landing_visits: number;
  /** First chats: `chat_started` events that are not re-entries. */
  chats_started: number;
  qualified: number;
  /** Events of the conversion type asked for (the campaign's primary conversion). */
  conversions: number;
}

/** Whose funnel to count: the events matched to some links, or everything of a campaign. */
export type TallyScope = { linkIds: readonly number[] } | { campaignId: number };

function toExperiment(row: Selectable<ExperimentTable>): ExperimentRecord {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    name: row.name,
    decisionMetric: row.decision_metric,
    baselineLinkIds: parseJson<number[]>(row.baseline_link_ids) ?? [],
    variantLinkIds: parseJson<number[]>(row.variant_link_ids) ?? [],
    expectedWeights: parseJson<[number, number]>(row.expected_weights),
    minConversions: row.min_conversions,
    plannedSampleSize: row.planned_sample_size,
    minimumEffect: Number(row.minimum_effect),
    rollbackThreshold: Number(row.rollback_threshold),
    createdAt: row.created_at,
  };
}

export async function insertExperiment(
  db: Db,
  fields: ExperimentFields,
  at: number,
): Promise<ExperimentRecord> {
  const row = await db
    .insertInto('experiments')
    .values({
      campaign_id: fields.campaignId,
      name: fields.name,
      decision_metric: fields.decisionMetric,
      baseline_link_ids: JSON.stringify(fields.baselineLinkIds),
      variant_link_ids: JSON.stringify(fields.variantLinkIds),
      expected_weights: toJson(fields.expectedWeights),
      min_conversions: fields.minConversions,
      planned_sample_size: fields.plannedSampleSize,
      minimum_effect: fields.minimumEffect,
      rollback_threshold: fields.rollbackThreshold,
      created_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toExperiment(row);
}

export async function getExperiment(db: Db, id: number): Promise<ExperimentRecord | undefined> {
  const row = await db.selectFrom('experiments').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toExperiment(row);
}

/** A campaign's experiments, oldest first. */
export async function listExperiments(db: Db, campaignId: number): Promise<ExperimentRecord[]> {
  const rows = await db
    .selectFrom('experiments')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .orderBy('id')
    .execute();
  return rows.map(toExperiment);
}

export async function insertBaseline<M>(
  db: Db,
  campaignId: number,
  metrics: M,
  takenAt: number,
): Promise<BaselineRecord<M>> {
  const row = await db
    .insertInto('baselines')
    .values({ campaign_id: campaignId, taken_at: takenAt, metrics: JSON.stringify(metrics) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { id: row.id, campaignId: row.campaign_id, takenAt: row.taken_at, metrics };
}

/** The campaign's most recent baseline snapshot (by time taken, then by insertion). */
export async function latestBaseline<M = Record<string, unknown>>(
  db: Db,
  campaignId: number,
): Promise<BaselineRecord<M> | undefined> {
  const row = await db
    .selectFrom('baselines')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .orderBy('taken_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      campaignId: row.campaign_id,
      takenAt: row.taken_at,
      metrics: JSON.parse(row.metrics) as M,
    }
  );
}

/** Records (or replaces) the notes of one review day of a campaign. */
export async function upsertReviewNotes(
  db: Db,
  review: Omit<ReviewNotes, 'updatedAt'>,
  at: number,
): Promise<ReviewNotes> {
  const row = await db
    .insertInto('reviews')
    .values({ campaign_id: review.campaignId, day: review.day, notes: review.notes, updated_at: at })
    .onConflict((oc) =>
      oc.columns(['campaign_id', 'day']).doUpdateSet((eb) => ({
        notes: eb.ref('excluded.notes'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return { campaignId: row.campaign_id, day: row.day, notes: row.notes, updatedAt: row.updated_at };
}

export async function listReviewNotes(db: Db, campaignId: number): Promise<ReviewNotes[]> {
  const rows = await db
    .selectFrom('reviews')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .orderBy('day')
    .execute();
  return rows.map((r) => ({
    campaignId: r.campaign_id,
    day: r.day,
    notes: r.notes,
    updatedAt: r.updated_at,
  }));
}

const HOUR = 3_600_000;

/**
 * Counts the funnel of a link group or a campaign over [from, to), straight from the store: human
 * clicks from the hourly rollups (so [from, to) is taken to the hour: a rollup counts when its
 * hour starts in [floor(from), to)), landing visits, first chats, qualified leads and conversions
 * of type `conversion`. Events count by the link (or campaign) they were matched to: no model,
 * no window, so an experiment's arms never share an event.
 *
 * @example countFunnel(db, { linkIds: [3, 4] }, from, to, 'purchase') // { link_clicks: 120, chats_started: 40, … }
 */
export async function countFunnel(
  db: Db,
  scope: TallyScope,
  from: number,
  to: number,
  conversion: string,
): Promise<FunnelTally> {
  const tally: FunnelTally = {
    link_clicks: 0,
    landing_visits: 0,
    chats_started: 0,
    qualified: 0,
    conversions: 0,
  };
  let linkIds: readonly number[];
  let slug: string | null = null;
  if ('linkIds' in scope) {
    linkIds = scope.linkIds;
  } else {
    const links = await db
      .selectFrom('links')
      .select('id')
      .where('campaign_id', '=', scope.campaignId)
      .execute();
    linkIds = links.map((l) => l.id);
    const campaign = await db
      .selectFrom('campaigns')
      .select('slug')
      .where('id', '=', scope.campaignId)
      .executeTakeFirst();
    slug = campaign?.slug ?? null;
  }
  // `in ()` is not SQL; -1 matches no link.
  const ids = linkIds.length > 0 ? [...linkIds] : [-1];

  const clicks = await db
    .selectFrom('click_rollups')
    .select((eb) => eb.fn.sum<number>('clicks').as('n'))
    .where('bot', '=', 0)
    .where('link_id', 'in', ids)
    .where('hour', '>=', from - (from % HOUR))
    .where('hour', '<', to)
    .executeTakeFirst();
  tally.link_clicks = Number(clicks?.n ?? 0);

  // A landing visit without a click of ours belongs to the campaign whose slug it carries as utm_campaign.
  const visits = await db
    .selectFrom('landing_visits')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('at', '>=', from)
    .where('at', '<', to)
    .where((eb) =>
      slug === null
        ? eb('link_id', 'in', ids)
        : eb.or([
            eb('link_id', 'in', ids),
            eb.and([eb('link_id', 'is', null), eb('utm_campaign', '=', slug)]),
          ]),
    )
    .executeTakeFirst();
  tally.landing_visits = Number(visits?.n ?? 0);

  const events = await db
    .selectFrom('events')
    .select(['type', 'reentry'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('type', 'in', [...new Set(['chat_started', 'qualified', conversion])])
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<', to)
    .where((eb) => ('linkIds' in scope ? eb('link_id', 'in', ids) : eb('campaign_id', '=', scope.campaignId)))
    .groupBy(['type', 'reentry'])
    .execute();
  for (const row of events) {
    const n = Number(row.n);
    // A re-entry is not a new chat (DESIGN.md "The funnel and its formulas").
    if (row.type === 'chat_started' && row.reentry === 0) tally.chats_started += n;
    if (row.type === 'qualified') tally.qualified += n;
    if (row.type === conversion && (conversion !== 'chat_started' || row.reentry === 0))
      tally.conversions += n;
  }
  return tally;
}
