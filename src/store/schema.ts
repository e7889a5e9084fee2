import type { Generated } from 'kysely';

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
  clicks: ClickTable;
  click_rollups: ClickRollupTable;
  landing_visits: LandingVisitTable;
  sequences: SequenceTable;
  settings: SettingTable;
  daily_salts: DailySaltTable;
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
