import type { Touch } from '../attribution/index.js';

/**
 * What links and campaigns contribute to a report's group keys (campaign, channel, source,
 * variant, link). Pure: the service reads the two small tables once per report and hands the rows
 * here; stored touches become attribution touches carrying their dimensions.
 */

const DAY = 86_400_000;
/** The key of a dimension a row does not have (a link without a variant, a visit without a link). */
export const NONE = '(none)';
/** The key of a fact that reached no link nor campaign. */
export const UNATTRIBUTED = '(unattributed)';

/** What a link or campaign contributes to a group key. */
export interface Dims {
  campaign: string;
  channel: string;
  source: string;
  variant: string;
  /** The link's short code. */
  link: string;
}

/** A campaign as the reports read it. */
export interface ReportCampaign {
  id: number;
  slug: string;
  utm: Record<string, string>;
  primaryConversion: string;
}

/** A link as the reports read it. */
export interface ReportLink {
  id: number;
  code: string;
  campaignId: number | null;
  channel: string;
  variant: string | null;
  utm: Record<string, string>;
}

export interface ReportDimensions {
  byCampaign: Map<number, { slug: string; source: string | undefined; primary: string }>;
  byLink: Map<number, Dims & { campaignId: number | null }>;
  /** The dimensions of a fact by its link, else its campaign, else `(unattributed)`. */
  of(linkId: number | null, campaignId: number | null): Dims;
}

const dayNames = new Map<number, string>();
/** The UTC day of a time, `YYYY-MM-DD` (memoised: reports ask for it once per row). */
export function utcDay(ms: number): string {
  const start = ms - (ms % DAY);
  let name = dayNames.get(start);
  if (name === undefined) {
    name = new Date(start).toISOString().slice(0, 10);
    if (dayNames.size > 100_000) dayNames.clear();
    dayNames.set(start, name);
  }
  return name;
}

/**
 * Links and campaigns looked up in memory: a link's source is its own `utm.source`, else its
 * campaign's, else `chatmark`.
 *
 * @example reportDimensions([{ id: 1, slug: 'spring', utm: {}, primaryConversion: 'purchase' }], []).of(null, 1).campaign // 'spring'
 */
export function reportDimensions(
  campaigns: readonly ReportCampaign[],
  links: readonly ReportLink[],
): ReportDimensions {
  const byCampaign = new Map(
    campaigns.map(
      (c) => [c.id, { slug: c.slug, source: c.utm.source, primary: c.primaryConversion }] as const,
    ),
  );
  const byLink = new Map<number, Dims & { campaignId: number | null }>();
  for (const l of links) {
    const campaign = l.campaignId === null ? undefined : byCampaign.get(l.campaignId);
    byLink.set(l.id, {
      campaignId: l.campaignId,
      campaign: campaign?.slug ?? NONE,
      channel: l.channel,
      source: l.utm.source ?? campaign?.source ?? 'chatmark',
      variant: l.variant ?? NONE,
      link: l.code,
    });
  }
  const of = (linkId: number | null, campaignId: number | null): Dims => {
    const link = linkId === null ? undefined : byLink.get(linkId);
    if (link) return link;
    const campaign = campaignId === null ? undefined : byCampaign.get(campaignId);
    return {
      campaign: campaign?.slug ?? UNATTRIBUTED,
      channel: UNATTRIBUTED,
      source: campaign?.source ?? UNATTRIBUTED,
      variant: NONE,
      link: NONE,
    };
  };
  return { byCampaign, byLink, of };
}

/** A touch as the attribution models see it, with the dimensions the report groups it by. */
export type AttributedTouch = Touch & { dims: Dims };

/** A stored touch of a conversion (store/touches.repository.ts files them with each event). */
export interface StoredTouch {
  /** `click`, `code` (a discount code), `chat_started` or `exposure`. */
  kind: string;
  id: number;
  at: number;
  linkId: number | null;
  campaignId: number | null;
  /** An exposure's own channel (SMS, email); the others take their link's. */
  channel: string | null;
}

/** A stored touch as the attribution models see it. */
export function attributedTouch(row: StoredTouch, dims: ReportDimensions): AttributedTouch {
  const at = row.at;
  switch (row.kind) {
    case 'click': {
      // A click belongs to its link's campaign, as the click counts do.
      const d = dims.of(row.linkId, null);
      const campaignId = row.linkId === null ? null : (dims.byLink.get(row.linkId)?.campaignId ?? null);
      return {
        id: `c${row.id}`,
        type: 'click',
        at,
        campaignId,
        channel: d.channel,
        linkId: row.linkId,
        dims: d,
      };
    }
    case 'exposure': {
      const d = dims.of(row.linkId, row.campaignId);
      const channel = row.channel ?? d.channel;
      return {
        id: `e${row.id}`,
        type: 'exposure',
        at,
        campaignId: row.campaignId,
        channel,
        linkId: row.linkId,
        dims: row.channel && d.channel === UNATTRIBUTED ? { ...d, channel: row.channel } : d,
      };
    }
    default: {
      // A chat start, or a discount code: a click on its campaign at the purchase.
      const d = dims.of(row.linkId, row.campaignId);
      const chat = row.kind === 'chat_started';
      return {
        id: `${chat ? 's' : 'd'}${row.id}`,
        type: chat ? 'chat_started' : 'click',
        at,
        campaignId: row.campaignId,
        channel: d.channel,
        linkId: row.linkId,
        dims: d,
      };
    }
  }
}
