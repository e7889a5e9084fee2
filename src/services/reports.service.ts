import {
  aggregate,
  type Attribution,
  type AttributionModel,
  attribute,
  type Conversion,
  type Touch,
  type Windows,
} from '../domain/attribution/index.js';
import { ChatmarkError } from '../domain/errors.js';
import { computeKpis, type FunnelCounts, type Kpis } from '../domain/funnel.js';
import type { Db } from '../store/db.js';

export const GROUP_BYS = ['campaign', 'channel', 'source', 'variant', 'day'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export interface ReportParams {
  campaignId?: number | undefined;
  from: number;
  to: number;
  groupBy: GroupBy;
  model: AttributionModel;
  windows: Windows;
  halfLifeMs?: number | undefined;
  /** The conversion event; default: the campaign's primary conversion, else `purchase`. */
  conversion?: string | undefined;
}

const DAY = 86_400_000;
const NONE = '(none)';
const UNATTRIBUTED = '(unattributed)';
const dayNames = new Map<number, string>();
/** The UTC day of a time, `YYYY-MM-DD` (memoised: reports ask for it once per row). */
const day = (ms: number): string => {
  const start = ms - (ms % DAY);
  let name = dayNames.get(start);
  if (name === undefined) {
    name = new Date(start).toISOString().slice(0, 10);
    if (dayNames.size > 100_000) dayNames.clear();
    dayNames.set(start, name);
  }
  return name;
};

/** What a link or campaign contributes to a group key. */
interface Dims {
  campaign: string;
  channel: string;
  source: string;
  variant: string;
}

/** Links and campaigns are small tables: read once per report and looked up in memory. */
async function loadDims(db: Db) {
  const campaigns = await db
    .selectFrom('campaigns')
    .select(['id', 'slug', 'utm', 'primary_conversion'])
    .execute();
  const links = await db
    .selectFrom('links')
    .select(['id', 'campaign_id', 'channel', 'variant', 'utm'])
    .execute();
  const byCampaign = new Map(
    campaigns.map((c) => {
      const utm = JSON.parse(c.utm) as Record<string, string>;
      return [c.id, { slug: c.slug, source: utm.source, primary: c.primary_conversion }] as const;
    }),
  );
  const byLink = new Map<number, Dims & { campaignId: number | null }>();
  for (const l of links) {
    const campaign = l.campaign_id === null ? undefined : byCampaign.get(l.campaign_id);
    const utm = JSON.parse(l.utm) as Record<string, string>;
    byLink.set(l.id, {
      campaignId: l.campaign_id,
      campaign: campaign?.slug ?? NONE,
      channel: l.channel,
      source: utm.source ?? campaign?.source ?? 'chatmark',
      variant: l.variant ?? NONE,
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
    };
  };
  return { byCampaign, byLink, of };
}

/** The direct counts of a group: facts that carry their own link or campaign. */
interface Counts {
  reach: number | null;
  impressions: number | null;
  spend: Map<string, number> | null;
  landing_visits: number;
  link_clicks: number;
  chats_started: number;
  qualified: number;
}

const emptyCounts = (money: boolean): Counts => ({
  reach: money ? 0 : null,
  impressions: money ? 0 : null,
  spend: money ? new Map() : null,
  landing_visits: 0,
  link_clicks: 0,
  chats_started: 0,
  qualified: 0,
});

/**
 * The funnel and attribution reports. Counts come from the rollups and the small tables (click
 * rollups, costs, events by campaign); conversions are attributed with the chosen model and
 * windows over each contact's touches (clicks, chat starts, exposures), never more than 100% each.
 */
export async function buildReport(db: Db, params: ReportParams) {
  if (params.from >= params.to)
    throw new ChatmarkError('invalid_range', '`from` must be before `to`', 'from');
  const dims = await loadDims(db);
  const campaignFilter = params.campaignId;
  if (campaignFilter !== undefined && !dims.byCampaign.has(campaignFilter)) {
    throw new ChatmarkError('campaign_not_found', `No campaign ${campaignFilter}`, 'campaignId');
  }
  const conversionType =
    params.conversion ??
    (campaignFilter !== undefined ? dims.byCampaign.get(campaignFilter)?.primary : undefined) ??
    'purchase';
  const moneyGroups = params.groupBy === 'campaign' || params.groupBy === 'day';
  const groups = new Map<string, Counts>();
  const groupOf = (key: string) => {
    let counts = groups.get(key);
    if (!counts) {
      counts = emptyCounts(moneyGroups);
      groups.set(key, counts);
    }
    return counts;
  };
  const keyOf = (d: Dims, at: number) => (params.groupBy === 'day' ? day(at) : d[params.groupBy]);
  const inCampaign = (d: { campaignId?: number | null }) =>
    campaignFilter === undefined || d.campaignId === campaignFilter;

  // Human link clicks, from the hourly rollups.
  let clicks = db
    .selectFrom('click_rollups')
    .select(['link_id', 'hour'])
    .select((eb) => eb.fn.sum<number>('clicks').as('n'))
    .where('bot', '=', 0)
    .where('hour', '>=', params.from - (params.from % 3_600_000))
    .where('hour', '<', params.to)
    .groupBy(['link_id', 'hour']);
  if (campaignFilter !== undefined) {
    clicks = clicks.where(
      'link_id',
      'in',
      [...dims.byLink]
        .filter(([, l]) => l.campaignId === campaignFilter)
        .map(([id]) => id)
        .concat(-1),
    );
  }
  for (const row of await clicks.execute()) {
    groupOf(keyOf(dims.of(row.link_id, null), row.hour)).link_clicks += Number(row.n);
  }

  // Landing visits: by their click's link, else by utm_campaign = the campaign's slug.
  const slugs = new Map([...dims.byCampaign].map(([id, c]) => [c.slug, id]));
  const visits = await db
    .selectFrom('landing_visits')
    .select(['link_id', 'at', 'utm_campaign', 'utm_source'])
    .where('at', '>=', params.from)
    .where('at', '<', params.to)
    .execute();
  for (const v of visits) {
    const campaignId =
      v.link_id === null
        ? (slugs.get(v.utm_campaign ?? '') ?? null)
        : (dims.byLink.get(v.link_id)?.campaignId ?? null);
    if (!inCampaign({ campaignId })) continue;
    const d = dims.of(v.link_id, campaignId);
    groupOf(
      keyOf(v.link_id === null && v.utm_source ? { ...d, source: v.utm_source } : d, v.at),
    ).landing_visits += 1;
  }

  // First chats and qualified leads, by the link or campaign each event was matched to.
  let direct = db
    .selectFrom('events')
    .select(['type', 'link_id', 'campaign_id', 'occurred_at', 'reentry'])
    .where('type', 'in', ['chat_started', 'qualified'])
    .where('occurred_at', '>=', params.from)
    .where('occurred_at', '<', params.to);
  if (campaignFilter !== undefined) direct = direct.where('campaign_id', '=', campaignFilter);
  for (const e of await direct.execute()) {
    const counts = groupOf(keyOf(dims.of(e.link_id, e.campaign_id), e.occurred_at));
    if (e.type === 'qualified') counts.qualified += 1;
    else if (e.reentry === 0) counts.chats_started += 1;
  }

  // Spend, impressions and reach: per campaign and day, so only those groupings carry them.
  if (moneyGroups) {
    let costs = db
      .selectFrom('costs')
      .selectAll()
      .where('day', '>=', day(params.from))
      .where('day', '<=', day(params.to - 1));
    if (campaignFilter !== undefined) costs = costs.where('campaign_id', '=', campaignFilter);
    for (const c of await costs.execute()) {
      const key = params.groupBy === 'day' ? c.day : (dims.byCampaign.get(c.campaign_id)?.slug ?? NONE);
      const counts = groupOf(key);
      counts.spend?.set(c.currency, (counts.spend.get(c.currency) ?? 0) + Number(c.amount));
      counts.impressions = (counts.impressions ?? 0) + Number(c.impressions ?? 0);
      counts.reach = (counts.reach ?? 0) + Number(c.reach ?? 0);
    }
  }

  const attributed = await attributeConversions(db, params, conversionType, dims);
  return { groups, attributed, conversionType, moneyGroups };
}

type AttributedTouch = Touch & { dims: Dims };

/**
 * Every conversion in the period with its touches, attributed. Touches of a contact: the clicks
 * its events came from, its chat starts and the messages sent to it; a conversion without a
 * contact has its own click; a discount code is a touch of its campaign at the purchase.
 */
async function attributeConversions(
  db: Db,
  params: ReportParams,
  conversionType: string,
  dims: Awaited<ReturnType<typeof loadDims>>,
) {
  const types = [...new Set([conversionType, 'purchase', 'refund'])];
  const maxWindow = Math.max(params.windows.click, params.windows.chat_started, params.windows.exposure);
  const since = params.from - maxWindow;
  const conversionQuery = () =>
    db
      .selectFrom('events')
      .leftJoin('discount_codes', 'discount_codes.id', 'events.discount_code_id')
      .select([
        'events.id',
        'events.type',
        'events.occurred_at',
        'events.contact_id',
        'events.click_id',
        'events.amount',
        'events.currency',
        'events.discount_code_id',
        'discount_codes.campaign_id as code_campaign_id',
        'discount_codes.link_id as code_link_id',
      ])
      .where('events.type', 'in', types)
      .where('events.occurred_at', '>=', params.from)
      .where('events.occurred_at', '<', params.to);
  type ConversionRow = Awaited<ReturnType<ReturnType<typeof conversionQuery>['execute']>>[number];
  let conversions: ConversionRow[];
  const campaignId = params.campaignId;
  if (campaignId === undefined) {
    conversions = await conversionQuery().execute();
  } else {
    // Only conversions the campaign can have touched: its own events, its codes, and those of
    // contacts it reached in the window (chats, clicks, sends).
    const reached = new Set<number>();
    for (const r of await db
      .selectFrom('events')
      .select('contact_id')
      .distinct()
      .where('campaign_id', '=', campaignId)
      .where('occurred_at', '>=', since)
      .where('occurred_at', '<', params.to)
      .where('contact_id', 'is not', null)
      .execute()) {
      if (r.contact_id !== null) reached.add(r.contact_id);
    }
    for (const r of await db
      .selectFrom('exposures')
      .select('contact_id')
      .distinct()
      .where('campaign_id', '=', campaignId)
      .where('sent_at', '>=', since)
      .where('sent_at', '<', params.to)
      .execute()) {
      reached.add(r.contact_id);
    }
    const byId = new Map<number, ConversionRow>();
    const add = (rows: ConversionRow[]) => {
      for (const row of rows) byId.set(row.id, row);
    };
    add(await conversionQuery().where('events.campaign_id', '=', campaignId).execute());
    add(await conversionQuery().where('discount_codes.campaign_id', '=', campaignId).execute());
    for (let i = 0, ids = [...reached]; i < ids.length; i += 500) {
      add(
        await conversionQuery()
          .where('events.contact_id', 'in', ids.slice(i, i + 500))
          .execute(),
      );
    }
    conversions = [...byId.values()];
  }

  const contacts = [...new Set(conversions.flatMap((c) => (c.contact_id === null ? [] : [c.contact_id])))];
  const touchesByContact = new Map<number, AttributedTouch[]>();
  const clickTouches = new Map<number, AttributedTouch | null>();
  const pushTouch = (contactId: number, touch: AttributedTouch) => {
    const list = touchesByContact.get(contactId) ?? [];
    list.push(touch);
    touchesByContact.set(contactId, list);
  };

  const clickIds = new Set<number>(
    conversions.flatMap((c) => (c.click_id === null ? [] : [Number(c.click_id)])),
  );
  const contactEvents: {
    id: number;
    type: string;
    occurred_at: number;
    contact_id: number | null;
    click_id: number | null;
    link_id: number | null;
    campaign_id: number | null;
  }[] = [];
  for (let i = 0; i < contacts.length; i += 500) {
    const chunk = contacts.slice(i, i + 500);
    contactEvents.push(
      ...(await db
        .selectFrom('events')
        .select(['id', 'type', 'occurred_at', 'contact_id', 'click_id', 'link_id', 'campaign_id'])
        .where('contact_id', 'in', chunk)
        .where('occurred_at', '>=', since)
        .where('occurred_at', '<', params.to)
        .where((eb) => eb.or([eb('type', '=', 'chat_started'), eb('click_id', 'is not', null)]))
        .execute()),
    );
    for (const e of await db
      .selectFrom('exposures')
      .select(['id', 'contact_id', 'campaign_id', 'link_id', 'channel', 'sent_at'])
      .where('contact_id', 'in', chunk)
      .where('sent_at', '>=', since)
      .where('sent_at', '<', params.to)
      .execute()) {
      const d = dims.of(e.link_id, e.campaign_id);
      pushTouch(e.contact_id, {
        id: `e${e.id}`,
        type: 'exposure',
        at: e.sent_at,
        campaignId: e.campaign_id,
        channel: e.channel ?? d.channel,
        linkId: e.link_id,
        dims: e.channel && d.channel === UNATTRIBUTED ? { ...d, channel: e.channel } : d,
      });
    }
  }
  for (const e of contactEvents) if (e.click_id !== null) clickIds.add(Number(e.click_id));

  const ids = [...clickIds];
  for (let i = 0; i < ids.length; i += 500) {
    for (const c of await db
      .selectFrom('clicks')
      .select(['id', 'link_id', 'at'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute()) {
      const d = dims.of(c.link_id, null);
      clickTouches.set(Number(c.id), {
        id: `c${c.id}`,
        type: 'click',
        at: c.at,
        campaignId: dims.byLink.get(c.link_id)?.campaignId ?? null,
        channel: d.channel,
        linkId: c.link_id,
        dims: d,
      });
    }
  }
  for (const e of contactEvents) {
    if (e.contact_id === null) continue;
    const click = e.click_id === null ? undefined : clickTouches.get(Number(e.click_id));
    if (click) pushTouch(e.contact_id, click);
    if (e.type === 'chat_started') {
      const d = dims.of(e.link_id, e.campaign_id);
      pushTouch(e.contact_id, {
        id: `s${e.id}`,
        type: 'chat_started',
        at: e.occurred_at,
        campaignId: e.campaign_id,
        channel: d.channel,
        linkId: e.link_id,
        dims: d,
      });
    }
  }

  const results: Attribution[] = [];
  for (const c of conversions) {
    const own: AttributedTouch[] = [];
    const click = c.click_id === null ? undefined : clickTouches.get(Number(c.click_id));
    if (click) own.push(click);
    if (c.code_campaign_id !== null || c.code_link_id !== null) {
      const d = dims.of(c.code_link_id, c.code_campaign_id);
      own.push({
        id: `d${c.id}`,
        type: 'click',
        at: c.occurred_at,
        campaignId: c.code_campaign_id ?? dims.byLink.get(c.code_link_id ?? -1)?.campaignId ?? null,
        channel: d.channel,
        linkId: c.code_link_id,
        dims: d,
      });
    }
    const contactTouches = c.contact_id === null ? [] : (touchesByContact.get(c.contact_id) ?? []);
    const unique = new Map<string | number, AttributedTouch>();
    for (const t of [...contactTouches, ...own]) unique.set(`${t.type}:${t.id}`, t);
    const conversion: Conversion = {
      id: c.id,
      at: c.occurred_at,
      ...(c.amount !== null &&
        c.currency !== null && { value: { amount: Number(c.amount), currency: c.currency } }),
    };
    const result = attribute(conversion, [...unique.values()], {
      model: params.model,
      windows: params.windows,
      ...(params.halfLifeMs !== undefined && { halfLifeMs: params.halfLifeMs }),
    });
    results.push(Object.assign(result, { type: c.type }));
  }
  const inCampaign = (touch: Touch) => campaignId === undefined || touch.campaignId === campaignId;
  return {
    /** Results of the given type, keeping only those that touch the filtered campaign (or are unattributed, without a filter). */
    of(type: string): Attribution[] {
      return results.filter(
        (r) =>
          (r as Attribution & { type: string }).type === type &&
          (campaignId === undefined || r.eligible.some(inCampaign)),
      );
    },
  };
}

export interface FunnelRow
  extends Omit<FunnelCounts, 'currency' | 'spend' | 'reach' | 'impressions'>, Omit<Kpis, 'currency'> {
  key: string;
  currency: string | null;
  reach: number | null;
  impressions: number | null;
  spend: number | null;
  immediate: number;
  assisted: number;
  with_assisted: { conversions: number; revenue: number; cpa: number | null; roi: number | null };
}

/** Rows of the funnel report, one per group and currency, with every KPI and its interval. */
export async function funnelReport(db: Db, params: ReportParams) {
  const report = await buildReport(db, params);
  const { groups, attributed, conversionType } = report;
  const convKey = (touch: Touch) =>
    params.groupBy === 'day' ? '' : (touch as AttributedTouch).dims[params.groupBy as keyof Dims];
  const conversionResults = attributed.of(conversionType);
  const inFilter = (touch: Touch) =>
    params.campaignId === undefined || touch.campaignId === params.campaignId;

  // Credited conversions, revenue per currency, immediate and assisted counts, per group.
  const credited = new Map<
    string,
    {
      conversions: number;
      revenue: Map<string, number>;
      immediate: number;
      assisted: number;
      assistedRevenue: Map<string, number>;
    }
  >();
  const slot = (key: string) => {
    let s = credited.get(key);
    if (!s) {
      s = { conversions: 0, revenue: new Map(), immediate: 0, assisted: 0, assistedRevenue: new Map() };
      credited.set(key, s);
    }
    return s;
  };
  const dayKey = (result: Attribution) => day(result.conversion.at);
  const groupKeyOf = (result: Attribution, touch: Touch) =>
    params.groupBy === 'day' ? dayKey(result) : convKey(touch);

  let unattributed = 0;
  for (const result of conversionResults) {
    if (result.unattributed) {
      unattributed += 1;
      continue;
    }
    const assisted = new Set<string>();
    for (const { touch, credit } of result.credits)
      if (inFilter(touch)) slot(groupKeyOf(result, touch)).conversions += credit;
    if (result.immediate && inFilter(result.immediate))
      slot(groupKeyOf(result, result.immediate)).immediate += 1;
    const immediateKey =
      result.immediate && inFilter(result.immediate) ? groupKeyOf(result, result.immediate) : null;
    for (const touch of result.assists) if (inFilter(touch)) assisted.add(groupKeyOf(result, touch));
    for (const key of assisted) {
      if (key === immediateKey) continue;
      slot(key).assisted += 1;
      const money = result.conversion.value;
      if (money && conversionType === 'purchase') {
        const revenue = slot(key).assistedRevenue;
        revenue.set(money.currency, (revenue.get(money.currency) ?? 0) + money.amount);
      }
    }
  }
  // Revenue: purchases net of refunds, credited with the same model (integer minor units).
  for (const [type, sign] of [
    ['purchase', 1],
    ['refund', -1],
  ] as const) {
    const results = attributed.of(type).filter((r) => !r.unattributed);
    if (results.length === 0) continue;
    const summary = aggregate(results, { by: (touch) => (inFilter(touch) ? `${convKey(touch)}` : '\u0000') });
    if (params.groupBy === 'day') {
      for (const r of results) {
        const money = r.conversion.value;
        if (!money) continue;
        const share = r.credits.filter((c) => inFilter(c.touch)).reduce((s, c) => s + c.credit, 0);
        const revenue = slot(dayKey(r)).revenue;
        revenue.set(
          money.currency,
          (revenue.get(money.currency) ?? 0) + sign * Math.round(share * money.amount),
        );
      }
      continue;
    }
    for (const row of summary.rows) {
      if (row.key === '\u0000') continue;
      const revenue = slot(row.key).revenue;
      for (const [currency, amount] of Object.entries(row.value))
        revenue.set(currency, (revenue.get(currency) ?? 0) + sign * amount);
    }
  }

  const keys = new Set([...groups.keys(), ...credited.keys()]);
  const rows: FunnelRow[] = [];
  for (const key of [...keys].sort()) {
    const counts = groups.get(key) ?? emptyCounts(report.moneyGroups);
    const money = credited.get(key);
    const currencies = new Set([...(counts.spend?.keys() ?? []), ...(money?.revenue.keys() ?? [])]);
    for (const currency of currencies.size > 0 ? [...currencies].sort() : [null]) {
      const spend = counts.spend && currency ? (counts.spend.get(currency) ?? 0) : null;
      const revenue = currency ? (money?.revenue.get(currency) ?? 0) : 0;
      const conversions = round6(money?.conversions ?? 0);
      const kpis = computeKpis({
        currency: currency ?? 'XXX',
        spend: spend ?? 0,
        impressions: counts.impressions ?? 0,
        reach: counts.reach ?? 0,
        landing_visits: counts.landing_visits,
        link_clicks: counts.link_clicks,
        chats_started: counts.chats_started,
        qualified: counts.qualified,
        conversions,
        revenue,
      });
      const { currency: _kpiCurrency, ...kpiFields } = kpis;
      const assistedRevenue = currency ? (money?.assistedRevenue.get(currency) ?? 0) : 0;
      const allConversions = conversions + (money?.assisted ?? 0);
      const withAssistedKpis = computeKpis({
        ...zeroCounts(currency),
        spend: spend ?? 0,
        conversions: allConversions,
        revenue: revenue + assistedRevenue,
      });
      rows.push({
        key,
        currency,
        reach: counts.reach,
        impressions: counts.impressions,
        spend,
        landing_visits: counts.landing_visits,
        link_clicks: counts.link_clicks,
        chats_started: counts.chats_started,
        qualified: counts.qualified,
        conversions,
        revenue,
        ...kpiFields,
        ...(spend === null && { cpm: null, cpa: null, cost_per_qualified_lead: null, roi: null }),
        immediate: money?.immediate ?? 0,
        assisted: money?.assisted ?? 0,
        with_assisted: {
          conversions: allConversions,
          revenue: revenue + assistedRevenue,
          cpa: spend === null ? null : withAssistedKpis.cpa,
          roi: spend === null ? null : withAssistedKpis.roi,
        },
      });
    }
  }
  return { conversion: conversionType, rows, unattributed };
}

function zeroCounts(currency: string | null): FunnelCounts {
  return {
    currency: currency ?? 'XXX',
    spend: 0,
    impressions: 0,
    reach: 0,
    landing_visits: 0,
    link_clicks: 0,
    chats_started: 0,
    qualified: 0,
    conversions: 0,
    revenue: 0,
  };
}

/** Credits are sums of fractions; six decimals keep 1/3 + 1/3 + 1/3 from printing as 0.9999999999. */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** The over-attribution view: per campaign or channel, credited vs claimed, immediate and assisted. */
export async function attributionReport(db: Db, params: ReportParams & { groupBy: 'campaign' | 'channel' }) {
  const report = await buildReport(db, params);
  const results = report.attributed.of(report.conversionType);
  const summary = aggregate(results, { by: (touch) => (touch as AttributedTouch).dims[params.groupBy] });
  return {
    conversion: report.conversionType,
    conversions: summary.conversions,
    value: summary.value,
    rows: summary.rows.map((r) => ({ ...r, credited: round6(r.credited) })),
    unattributed: summary.unattributed,
  };
}
