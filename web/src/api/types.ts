/**
 * The API's response shapes as the dashboard reads them (src/http/routes/*.ts is the source of
 * truth; these mirror its zod views).
 */

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
