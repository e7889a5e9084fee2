/**
 * The API's response shapes as the dashboard reads them (src/http/routes/*.ts is the source of
 * truth; these mirror its zod views).
 */

import type { RateKpi } from '../../../src/domain/funnel.js';

export type Role = 'viewer' | 'editor' | 'admin';

export const CHANNELS = [
  'whatsapp',
  'telegram',
  'viber',
  'messenger',
  'instagram',
  'line',
  'signal',
  'sms',
  'email',
  'web',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;
export type UtmKey = (typeof UTM_KEYS)[number];
export type Utm = Partial<Record<UtmKey, string>>;

export interface Money {
  /** Integer minor units: 85.00 USD is 8500. */
  amount: number;
  currency: string;
}

export interface Campaign {
  id: number;
  slug: string;
  name: string;
  owner: string;
  channels: string[];
  utm: Record<string, string>;
  budgetCap: Money | null;
  startsAt: string | null;
  endsAt: string | null;
  rollbackCriteria: unknown;
  notes: string | null;
  primaryConversion: string;
  createdAt: string;
  updatedAt: string;
}

export interface CampaignChange {
  field: string;
  old: unknown;
  new: unknown;
  actorKeyId: number | null;
  at: string;
}

/** Where the per-click ref token travels into the chat. */
export type Carrier = 'text' | 'start' | 'ref' | 'context' | 'none' | 'cm_click';

/** The body of POST /api/links and POST /api/links/preview. */
export interface LinkBody {
  channel: Channel;
  target: Record<string, string>;
  text?: string | null;
  utm?: Utm;
  campaignId?: number | null;
  variant?: string | null;
  code?: string;
}

export interface LinkPreview {
  channel: string;
  destinationPreview: string;
  appUrl: string | null;
  carrier: Carrier;
  text: string | null;
  warnings: string[];
}

export interface Link {
  id: number;
  code: string;
  shortUrl: string;
  channel: string;
  campaignId: number | null;
  target: Record<string, string>;
  text: string | null;
  utm: Record<string, string>;
  variant: string | null;
  expiresAt: string | null;
  maxClicks: number | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  destinationPreview: string;
  carrier: Carrier;
  warnings: string[];
}

export interface LinkStats {
  linkId: number;
  from: string;
  to: string;
  clicks: number;
  humanClicks: number;
  botClicks: number;
  uniqueVisitors: number;
  qrScans: number;
  byDay: { day: string; clicks: number; humanClicks: number }[];
  byDevice: Record<string, number>;
  byBrowser: Record<string, number>;
  byReferrer: Record<string, number>;
}

export interface ApiKey {
  id: number;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** One platform of GET /api/settings/webhooks: whether each setting is set, never its value. */
export interface WebhookStatus {
  platform: string;
  name: string;
  /** The address to paste into the platform. */
  url: string;
  /** Every required setting is set: the webhook accepts the platform's calls. */
  configured: boolean;
  settings: { variable: string; required: boolean; configured: boolean; purpose: string }[];
}

/** One row of GET /api/reports/funnel: one group (and currency). Rates are null on a 0 denominator. */
export interface FunnelRow {
  key: string;
  currency: string | null;
  reach: number | null;
  impressions: number | null;
  /** Minor units of `currency`; null when the grouping carries no spend. */
  spend: number | null;
  landing_visits: number;
  link_clicks: number;
  chats_started: number;
  qualified: number;
  conversions: number;
  /** Minor units of `currency`. */
  revenue: number;
  cpm: number | null;
  ctr: number | null;
  click_to_message_rate: number | null;
  chat_start_rate: number | null;
  qualification_rate: number | null;
  conversion_rate: number | null;
  cpa: number | null;
  cost_per_qualified_lead: number | null;
  roi: number | null;
  /**
   * The 95% Wilson interval [low, high] of each rate, under the rate's name; null when the rate is
   * null or is no proportion (more chats than landing visits, say).
   */
  intervals: Record<RateKpi, [number, number] | null>;
  immediate: number;
  assisted: number;
}

export interface FunnelReport {
  parameters: {
    campaignId: number | null;
    from: string;
    to: string;
    groupBy: string;
    model: string;
    /** The attribution window per touch type, e.g. `{ click: '30d', chat_started: '30d' }`. */
    windows: Record<string, string>;
    conversion: string;
  };
  rows: FunnelRow[];
  unattributed: number;
}

export const ATTRIBUTION_MODELS = [
  'last_touch',
  'first_touch',
  'linear',
  'time_decay',
  'position_based',
] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

/** One row of GET /api/reports/attribution: one campaign (slug) or channel. */
export interface AttributionRow {
  key: string;
  /** The share of conversions this key gets under the model (fractional). */
  credited: number;
  /** Conversions in which the key has any touch: the same under every model. */
  claimed: number;
  immediate: number;
  assisted: number;
  /** Credited value per currency, minor units. */
  value: Record<string, number>;
}

export interface AttributionReport {
  parameters: {
    model: string;
    windows: Record<string, string>;
    from: string;
    to: string;
    groupBy: string;
    conversion: string;
  };
  conversion: string;
  conversions: number;
  value: Record<string, number>;
  rows: AttributionRow[];
  unattributed: { count: number; value: Record<string, number> };
}

/** The rates an experiment may decide on (src/services/compare.ts DECISION_METRICS). */
export const DECISION_METRICS = [
  'conversion_rate',
  'qualification_rate',
  'click_to_message_rate',
  'chat_start_rate',
] as const;
export type DecisionMetric = (typeof DECISION_METRICS)[number];

export type Verdict = 'ship' | 'hold' | 'rollback';
/** The rule of spec/metrics.md §3 that decided the verdict. */
export type VerdictRule = 'srm' | 'sample' | 'rollback' | 'ship' | 'inconclusive';

/** Units and successes of one arm: chats started and purchases, say. */
export interface ArmCounts {
  n: number;
  x: number;
}

/** The body of POST /api/experiments/compare: two {n, x} arms, or two plain values. */
export type CompareBody =
  | {
      baseline: ArmCounts;
      variant: ArmCounts;
      /** The planned [baseline, variant] split, for the sample-ratio check. */
      weights?: [number, number];
    }
  | { baseline: number; variant: number; counts?: boolean };

interface ComparisonCommon {
  relativeChange: number | null;
  /** 95% CI of the relative change. */
  ci: [number, number] | null;
  pValue: number | null;
  /** The verdict's reason, or why there is none, in words with the numbers behind it. */
  reason: string;
}

/** The answer for two {n, x} arms (src/services/compare.ts ProportionsResult). */
export interface ProportionsComparison extends ComparisonCommon {
  mode: 'proportions';
  verdict: Verdict;
  rule: VerdictRule;
  baselineRate: number | null;
  variantRate: number | null;
  se: number | null;
  df: number | null;
  /** The pooled two-proportion z-test, oriented variant − baseline. */
  zTest: { z: number | null; pValue: number | null };
  /** Present when a planned split was given. */
  srm?: { chi2: number | null; pValue: number | null; mismatch: boolean };
  /** Units per arm to detect the observed lift (α 0.05, power 0.8); null without a lift. */
  minimumSample: number | null;
}

/** The answer for two plain values: no interval, so no verdict. */
export interface ValuesComparison extends ComparisonCommon {
  mode: 'values';
  verdict: null;
  rule: null;
  /** Poisson z with `counts`, else null. */
  z: number | null;
}

export type Comparison = ProportionsComparison | ValuesComparison;

/** A stored experiment (GET /api/campaigns/:id/experiments). Fractions: 0.02 is 2%. */
export interface Experiment {
  id: number;
  campaignId: number;
  name: string;
  decisionMetric: DecisionMetric;
  baselineLinkIds: number[];
  variantLinkIds: number[];
  expectedWeights: [number, number] | null;
  minConversions: number;
  plannedSampleSize: number | null;
  minimumEffect: number;
  rollbackThreshold: number;
  createdAt: string;
}

/** The body of POST /api/campaigns/:id/experiments. */
export interface ExperimentBody {
  name: string;
  decisionMetric: DecisionMetric;
  baselineLinkIds: number[];
  variantLinkIds: number[];
  expectedWeights?: [number, number] | null;
  minConversions?: number;
  plannedSampleSize?: number | null;
  minimumEffect?: number;
  rollbackThreshold?: number;
}

/** The funnel counts of a link group or a campaign over a period (human clicks only). */
export interface FunnelTally {
  link_clicks: number;
  landing_visits: number;
  chats_started: number;
  qualified: number;
  conversions: number;
}

export interface ExperimentArm extends FunnelTally {
  linkIds: number[];
  /** The decision metric of this arm. */
  rate: number | null;
}

/** GET /api/experiments/:id/results: the arms counted from the store, compared on the metric. */
export interface ExperimentResults extends ProportionsComparison {
  experiment: Experiment;
  parameters: { from: string; to: string; metric: DecisionMetric; conversion: string };
  arms: { baseline: ExperimentArm; variant: ExperimentArm };
}

/** GET /api/campaigns/:id/baseline: the campaign's counts and rates when the snapshot was taken. */
export interface Baseline {
  campaignId: number;
  takenAt: string;
  metrics: FunnelTally & {
    conversion: string;
    click_to_message_rate: number | null;
    chat_start_rate: number | null;
    qualification_rate: number | null;
    conversion_rate: number | null;
  };
}

export const REVIEW_DAYS = [3, 7, 14] as const;
export type ReviewDay = (typeof REVIEW_DAYS)[number];

/** One post-launch review: expected (the baseline) vs actual (launch to launch + day). */
export interface Review {
  day: ReviewDay;
  dueAt: string;
  due: boolean;
  from: string;
  to: string;
  expected: number | null;
  actual: number | null;
  relativeChange: number | null;
  ci: [number, number] | null;
  pValue: number | null;
  verdict: Verdict | null;
  /** `health_check`: day 3 held back a ship. */
  rule: VerdictRule | 'health_check' | null;
  reason: string;
  counts: { expected: ArmCounts | null; actual: ArmCounts } | null;
  notes: string | null;
  notesUpdatedAt: string | null;
}

/** GET /api/campaigns/:id/reviews. */
export interface Reviews {
  campaignId: number;
  launchedAt: string;
  metric: DecisionMetric;
  conversion: string;
  experimentId: number | null;
  baseline: { takenAt: string; value: number | null } | null;
  reviews: Review[];
}
