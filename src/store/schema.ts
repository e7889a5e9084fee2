import type { ColumnType, Generated } from 'kysely';

/**
 * Table shapes, one interface per table, shared by both dialects. Conventions that keep the queries
 * identical on SQLite and PostgreSQL: times are epoch milliseconds (integer / bigint), flags are
 * 0/1 integers, structured values are JSON text, money is integer minor units beside a currency.
 */
export interface Database {
  api_keys: ApiKeyTable;
  campaigns: CampaignTable;
  campaign_changes: CampaignChangeTable;
  links: LinkTable;
  link_click_counters: LinkClickCounterTable;
  clicks: ClickTable;
  click_rollups: ClickRollupTable;
  click_rollups_daily: ClickDailyRollupTable;
  landing_visits: LandingVisitTable;
  sequences: SequenceTable;
  settings: SettingTable;
  daily_salts: DailySaltTable;
  contacts: ContactTable;
  identities: IdentityTable;
  events: EventTable;
  discount_codes: DiscountCodeTable;
  exposures: ExposureTable;
  event_touches: EventTouchTable;
  report_day_versions: ReportDayVersionTable;
  report_slices: ReportSliceTable;
  costs: CostTable;
  experiments: ExperimentTable;
  baselines: BaselineTable;
  reviews: ReviewTable;
}

export interface ApiKeyTable {
  id: Generated<number>;
  name: string;
  role: string;
  /** The key's first characters, shown to people and used to find the row. */
  prefix: string;
  /** SHA-256 of the whole key (keys are 32 random bytes, so a slow hash adds nothing). */
  hash: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface CampaignTable {
  id: Generated<number>;
  slug: string;
  name: string;
  owner: string;
  channels: string;
  utm: string;
  budget_cap_amount: number | null;
  budget_cap_currency: string | null;
  starts_at: number | null;
  ends_at: number | null;
  rollback_criteria: string | null;
  notes: string | null;
  primary_conversion: string;
  created_at: number;
  updated_at: number;
  /** Bumped by every update: caches keep the newest copy by it. */
  version: Generated<number>;
}

export interface CampaignChangeTable {
  id: Generated<number>;
  campaign_id: number;
  field: string;
  old_value: string | null;
  new_value: string | null;
  actor_key_id: number | null;
  at: number;
}

export interface LinkTable {
  id: Generated<number>;
  code: string;
  campaign_id: number | null;
  channel: string;
  target: string;
  text: string | null;
  utm: string;
  variant: string | null;
  expires_at: number | null;
  max_clicks: number | null;
  archived_at: number | null;
  created_by: number | null;
  created_at: number;
  updated_at: number;
  /** Bumped by every update: caches keep the newest copy by it. */
  version: Generated<number>;
}

/** Clicks reserved against a link's `max_clicks` (the store's counter, used without Redis). */
export interface LinkClickCounterTable {
  link_id: number;
  used: number;
}

export interface ClickTable {
  /** The click number: reserved in blocks from `sequences`; the ref token is derived from it. */
  id: number;
  link_id: number;
  at: number;
  visitor_hash: string;
  device: string;
  os: string | null;
  browser: string | null;
  referrer_host: string | null;
  qr: number;
  bot: number;
  bot_reason: string | null;
  country: string | null;
  /** JSON object of ad click ids (gclid, fbclid, …) when the short link carried any. */
  ad_ids: string | null;
}

export interface ClickRollupTable {
  hour: number;
  link_id: number;
  bot: number;
  device: string;
  qr: number;
  clicks: number;
}

/** Clicks per UTC day × link × bot flag: what the funnel reads for whole days. */
export interface ClickDailyRollupTable {
  day: number;
  link_id: number;
  bot: number;
  clicks: number;
}

export interface LandingVisitTable {
  id: Generated<number>;
  at: number;
  link_id: number | null;
  click_id: number | null;
  visitor_hash: string | null;
  url: string | null;
  referrer_host: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
}

export interface SequenceTable {
  name: string;
  next_value: number;
}

/** Server-wide secrets and settings created on first start (e.g. the ref-token key). */
export interface SettingTable {
  name: string;
  value: string;
}

/** The visitor-hash salt of each UTC day; older salts are deleted so hashes can't be re-linked. */
export interface DailySaltTable {
  day: string;
  salt: string;
}

/** A person, as one or more identities (channel ids, hashed email or phone, external ids). */
export interface ContactTable {
  id: Generated<number>;
  created_at: number;
}

/**
 * One way to recognise a contact: `kind` is a channel (`whatsapp`, `telegram`, …), `external`,
 * `email` or `phone`. Phone numbers and email addresses are stored only as keyed hashes.
 */
export interface IdentityTable {
  id: Generated<number>;
  contact_id: number;
  kind: string;
  value: string;
  created_at: number;
}

/** Chat starts and conversions; `idempotency_key` is unique, so a retry records nothing new. */
export interface EventTable {
  id: Generated<number>;
  type: string;
  occurred_at: number;
  received_at: number;
  idempotency_key: string;
  source: string;
  contact_id: number | null;
  click_id: number | null;
  link_id: number | null;
  campaign_id: number | null;
  discount_code_id: number | null;
  amount: number | null;
  currency: string | null;
  /** 1 for a chat start that re-enters a chat the contact already had with the campaign. */
  reentry: number;
  properties: string | null;
}

export interface DiscountCodeTable {
  id: Generated<number>;
  /** Upper-cased, as shoppers type codes in any case. */
  code: string;
  campaign_id: number | null;
  link_id: number | null;
  single_use: number;
  valid_from: number | null;
  valid_to: number | null;
  redemptions: number;
  created_at: number;
}

/** A message sent to a contact (SMS, broadcast): the touches of the billboard model. */
export interface ExposureTable {
  id: Generated<number>;
  contact_id: number;
  campaign_id: number | null;
  link_id: number | null;
  channel: string | null;
  sent_at: number;
  idempotency_key: string;
}

/**
 * Each event with the touches that may take credit for it (derived: rewritten from events, clicks,
 * discount codes and exposures by store/touches.repository.ts; never written by hand).
 */
export interface EventTouchTable {
  /** The campaign this copy is filed under (each campaign among the touches), or 0: every event once. */
  filed_under: number;
  event_id: number;
  event_type: string;
  event_at: number;
  contact_id: number | null;
  amount: number | null;
  currency: string | null;
  /** `click`, `code` (a discount code: a touch of its campaign at the purchase), `chat_started`, `exposure`. */
  touch_kind: string;
  touch_id: number;
  touch_at: number;
  link_id: number | null;
  campaign_id: number | null;
  /** An exposure's own channel (SMS, email); the others take their link's. */
  channel: string | null;
}

/** How often each UTC day's events or touches changed (day -1: links and campaigns, all days). */
export interface ReportDayVersionTable {
  day: number;
  version: number;
}

/** A whole-store report's contribution of one day, as JSON, made at that day's version. */
export interface ReportSliceTable {
  signature: string;
  day: number;
  version: number;
  payload: string;
  /** The report that last read or wrote the row (a counter): the least recently used go first. */
  last_use: ColumnType<number, number | undefined, number>;
}

/** Spend per campaign, day and currency; importing the same day again replaces it. */
export interface CostTable {
  id: Generated<number>;
  campaign_id: number;
  day: string;
  amount: number;
  currency: string;
  impressions: number | null;
  reach: number | null;
  updated_at: number;
}

/**
 * A baseline link group and a variant link group of one campaign compared on one decision metric
 * (spec/metrics.md §3). Link ids and the planned split are JSON arrays; effects are fractions.
 */
export interface ExperimentTable {
  id: Generated<number>;
  campaign_id: number;
  name: string;
  /** conversion_rate | qualification_rate | click_to_message_rate | chat_start_rate */
  decision_metric: string;
  baseline_link_ids: string;
  variant_link_ids: string;
  /** JSON [baseline, variant] weights of the planned split; null when no split was planned. */
  expected_weights: string | null;
  min_conversions: number;
  planned_sample_size: number | null;
  minimum_effect: number;
  rollback_threshold: number;
  created_at: number;
}

/** A snapshot of a campaign's counts and rates, the "expected" of its post-launch reviews. */
export interface BaselineTable {
  id: Generated<number>;
  campaign_id: number;
  taken_at: number;
  metrics: string;
}

/** The root-cause notes of a campaign's day 3, 7 or 14 review; one row per campaign and day. */
export interface ReviewTable {
  campaign_id: number;
  day: number;
  notes: string;
  updated_at: number;
}
