import { sql } from 'kysely';
import type { Db } from './db.js';

/**
 * The reports' reads (services/reports.service.ts): links and campaigns as the reports group by
 * them, counts the database sums (landing visits, first chats and qualified leads), costs, and the
 * period's conversions and their stored touches a page at a time. Rows come back as the plain
 * values src/domain/reports takes. (The report cache is store/report-slices.repository.ts; human
 * clicks are store/clicks.repository.ts `humanClicksByLink`.)
 */

const DAY = 86_400_000;

/** Campaigns and links are small tables: read whole, once per report. */
export async function readReportDimensions(db: Db) {
  const campaigns = await db
    .selectFrom('campaigns')
    .select(['id', 'slug', 'utm', 'primary_conversion'])
    .execute();
  const links = await db
    .selectFrom('links')
    .select(['id', 'code', 'campaign_id', 'channel', 'variant', 'utm'])
    .execute();
  return {
    campaigns: campaigns.map((c) => ({
      id: c.id,
      slug: c.slug,
      utm: JSON.parse(c.utm) as Record<string, string>,
      primaryConversion: c.primary_conversion,
    })),
    links: links.map((l) => ({
      id: l.id,
      code: l.code,
      campaignId: l.campaign_id,
      channel: l.channel,
      variant: l.variant,
      utm: JSON.parse(l.utm) as Record<string, string>,
    })),
  };
}

/** Landing visits in [from, to) counted per link, utm_campaign and utm_source (and UTC day when `byDay`, else day 0). */
export async function countLandingVisits(db: Db, range: { from: number; to: number; byDay: boolean }) {
  const visitDay = sql<number>`at - (at % ${sql.lit(DAY)})`;
  const rows = await db
    .selectFrom('landing_visits')
    .select(['link_id', 'utm_campaign', 'utm_source'])
    .select(range.byDay ? visitDay.as('day') : sql<number>`0`.as('day'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('at', '>=', range.from)
    .where('at', '<', range.to)
    .groupBy(['link_id', 'utm_campaign', 'utm_source'])
    .$if(range.byDay, (q) => q.groupBy(visitDay))
    .execute();
  return rows.map((v) => ({
    linkId: v.link_id,
    utmCampaign: v.utm_campaign,
    utmSource: v.utm_source,
    day: Number(v.day),
    n: Number(v.n),
  }));
}

/** Cost rows of the UTC days `firstDay`..`lastDay` (`YYYY-MM-DD`, inclusive), of one campaign or all. */
export async function readCostDays(
  db: Db,
  range: { firstDay: string; lastDay: string; campaignId: number | undefined },
) {
  let query = db
    .selectFrom('costs')
    .selectAll()
    .where('day', '>=', range.firstDay)
    .where('day', '<=', range.lastDay);
  if (range.campaignId !== undefined) query = query.where('campaign_id', '=', range.campaignId);
  return (await query.execute()).map((c) => ({
    day: c.day,
    campaignId: c.campaign_id,
    currency: c.currency,
    amount: Number(c.amount),
    impressions: Number(c.impressions ?? 0),
    reach: Number(c.reach ?? 0),
  }));
}

/**
 * Chat starts and qualified leads in [from, to), counted by the database from a covering index per
 * type, link, campaign and re-entry (and UTC day when `byDay`, else day 0).
 */
export async function countChatsAndQualified(
  db: Db,
  range: { from: number; to: number; byDay: boolean; campaignId: number | undefined },
) {
  const dayOf = sql<number>`occurred_at - (occurred_at % ${sql.lit(DAY)})`;
  let query = db
    .selectFrom('events')
    .select(['type', 'link_id', 'campaign_id', 'reentry'])
    .select(range.byDay ? dayOf.as('day') : sql<number>`0`.as('day'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('type', 'in', ['chat_started', 'qualified'])
    .where('occurred_at', '>=', range.from)
    .where('occurred_at', '<', range.to)
    .groupBy(['type', 'link_id', 'campaign_id', 'reentry'])
    .$if(range.byDay, (q) => q.groupBy(dayOf));
  if (range.campaignId !== undefined) query = query.where('campaign_id', '=', range.campaignId);
  return (await query.execute()).map((e) => ({
    type: e.type,
    linkId: e.link_id,
    campaignId: e.campaign_id,
    reentry: Number(e.reentry),
    day: Number(e.day),
    n: Number(e.n),
  }));
}

/** Where a page of conversions ends: (occurred_at, id). */
export type EventKey = readonly [at: number, id: number];

/**
 * Conversions of the given types in [from, to), at most `limit`: in any order, or, with `after`
 * (or `ordered`), the next page in (occurred_at, id) order.
 */
export async function readConversions(
  db: Db,
  page: {
    types: readonly string[];
    from: number;
    to: number;
    limit: number;
    ordered?: boolean;
    after?: EventKey | undefined;
  },
) {
  const { after } = page;
  let query = db
    .selectFrom('events')
    .select(['id', 'type', 'occurred_at', 'amount', 'currency'])
    .where('type', 'in', page.types)
    .where('occurred_at', '>=', page.from)
    .where('occurred_at', '<', page.to)
    .$if(after !== undefined, (q) =>
      q.where((eb) => eb(eb.refTuple('occurred_at', 'id'), '>', eb.tuple(after![0], after![1]))),
    );
  if (page.ordered || after !== undefined) query = query.orderBy('occurred_at').orderBy('id');
  return query.limit(page.limit).execute();
}

/** Where a page of touches ends: (event_at, event_id, touch_kind, touch_id). */
export type TouchKey = readonly [eventAt: number, eventId: number, kind: string, touchId: number];

/**
 * The stored touches of conversions of the given types in [from, to), filed under a campaign (or
 * 0: every event once), at most `limit`: in any order, or, with `after` (or `ordered`), the next
 * page in key order.
 */
export async function readConversionTouches(
  db: Db,
  page: {
    filedUnder: number;
    types: readonly string[];
    from: number;
    to: number;
    limit: number;
    ordered?: boolean;
    after?: TouchKey | undefined;
  },
) {
  const { after } = page;
  let query = db
    .selectFrom('event_touches')
    .selectAll()
    .where('filed_under', '=', page.filedUnder)
    .where('event_type', 'in', page.types)
    .where('event_at', '>=', page.from)
    .where('event_at', '<', page.to)
    .$if(after !== undefined, (q) =>
      q.where((eb) =>
        eb(
          eb.refTuple('event_at', 'event_id', 'touch_kind', 'touch_id'),
          '>',
          eb.tuple(after![0], after![1], after![2], after![3]),
        ),
      ),
    );
  if (page.ordered || after !== undefined)
    query = query.orderBy('event_at').orderBy('event_id').orderBy('touch_kind').orderBy('touch_id');
  return query.limit(page.limit).execute();
}
