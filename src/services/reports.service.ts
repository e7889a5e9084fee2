import {
  type Attribution,
  type AttributionModel,
  type AttributionSummary,
  attribute,
  type Conversion,
  createAggregator,
  type Touch,
  type Windows,
} from '../domain/attribution/index.js';
import { checkRange, MAX_RANGE_DAYS } from '../domain/date-range.js';
import { ChatmarkError } from '../domain/errors.js';
import { computeKpis, type FunnelCounts, type Kpis } from '../domain/funnel.js';
import { type Selectable, sql } from 'kysely';
import { humanClicksByLink } from '../store/clicks.repository.js';
import { createPacer, type Pacer } from './pacer.js';
import {
  evictSlices,
  markSlicesUsed,
  nextSliceUse,
  readDayVersions,
  readSlices,
  storeSlices,
} from '../store/report-slices.repository.js';
import type { Db } from '../store/db.js';
import type { EventTouchTable } from '../store/schema.js';

export const GROUP_BYS = ['campaign', 'channel', 'source', 'variant', 'link', 'day'] as const;
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
/** How much of a period one read covers where a day would be too fine (a campaign's slices, the funnel's counts). */
const CHUNK_MS = 7 * DAY;
/** Rows per page of a slice's conversions and touches: a page is read in a few milliseconds. */
const PAGE = 2000;
/**
 * The report cache's bounds: a report writes at most a slice per day of the longest period, and
 * the table keeps the most recently used slices up to a total (about a dozen year-long reports,
 * or a few hundred monthly ones).
 */
export const MAX_SLICES_PER_REPORT = MAX_RANGE_DAYS;
export const MAX_CACHED_SLICES = 5000;
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
  /** The link's short code. */
  link: string;
}

/** Links and campaigns are small tables: read once per report and looked up in memory. */
async function loadDims(db: Db) {
  const campaigns = await db
    .selectFrom('campaigns')
    .select(['id', 'slug', 'utm', 'primary_conversion'])
    .execute();
  const links = await db
    .selectFrom('links')
    .select(['id', 'code', 'campaign_id', 'channel', 'variant', 'utm'])
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
 * What both reports stand on: the parameters checked, links and campaigns read, the conversion
 * event chosen, and `slices` walking the period's attributed conversions (see `forEachSlice`).
 */
async function reportContext(db: Db, params: ReportParams) {
  checkRange(params.from, params.to);
  const dims = await loadDims(db);
  const campaignFilter = params.campaignId;
  if (campaignFilter !== undefined && !dims.byCampaign.has(campaignFilter)) {
    throw new ChatmarkError('campaign_not_found', `No campaign ${campaignFilter}`, 'campaignId');
  }
  const conversionType =
    params.conversion ??
    (campaignFilter !== undefined ? dims.byCampaign.get(campaignFilter)?.primary : undefined) ??
    'purchase';
  const pace = createPacer();
  const slices = <C>(kind: string, compute: (slice: Slice) => Promise<C>, merge: (part: C) => void) =>
    forEachSlice(db, params, { conversionType, dims, kind, pace }, compute, merge);
  return { dims, conversionType, slices, pace };
}

/**
 * The funnel report's direct counts: human clicks from the rollups, landing visits, and spend,
 * impressions and reach from the costs (the chats and qualified leads are counted per slice), read
 * a week at a time so that no one query holds the event loop for long.
 */
async function funnelCounts(
  db: Db,
  params: ReportParams,
  dims: Awaited<ReturnType<typeof loadDims>>,
  pace: Pacer,
) {
  const campaignFilter = params.campaignId;
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
  const byDay = params.groupBy === 'day';
  const linkIds =
    campaignFilter === undefined
      ? undefined
      : [...dims.byLink].filter(([, l]) => l.campaignId === campaignFilter).map(([id]) => id);
  const slugs = new Map([...dims.byCampaign].map(([id, c]) => [c.slug, id]));
  const visitDay = sql<number>`at - (at % ${sql.lit(DAY)})`;

  for (let from = params.from; from < params.to;) {
    const to = Math.min(params.to, from - (from % DAY) + CHUNK_MS);
    // Human link clicks, from the rollups, summed per link (and day) by the database.
    for (const row of await humanClicksByLink(db, { from, to, byDay, linkIds }))
      groupOf(keyOf(dims.of(row.linkId, null), row.day)).link_clicks += row.clicks;
    await pace.step();

    // Landing visits: by their click's link, else by utm_campaign = the campaign's slug.
    const visits = await db
      .selectFrom('landing_visits')
      .select(['link_id', 'utm_campaign', 'utm_source'])
      .select(byDay ? visitDay.as('day') : sql<number>`0`.as('day'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('at', '>=', from)
      .where('at', '<', to)
      .groupBy(['link_id', 'utm_campaign', 'utm_source'])
      .$if(byDay, (q) => q.groupBy(visitDay))
      .execute();
    for (const v of visits) {
      const campaignId =
        v.link_id === null
          ? (slugs.get(v.utm_campaign ?? '') ?? null)
          : (dims.byLink.get(v.link_id)?.campaignId ?? null);
      if (!inCampaign({ campaignId })) continue;
      const d = dims.of(v.link_id, campaignId);
      groupOf(
        keyOf(v.link_id === null && v.utm_source ? { ...d, source: v.utm_source } : d, Number(v.day)),
      ).landing_visits += Number(v.n);
      if (pace.due()) await pace.pause();
    }
    await pace.step();

    // Spend, impressions and reach: per campaign and day, so only those groupings carry them.
    if (moneyGroups) {
      let costs = db
        .selectFrom('costs')
        .selectAll()
        .where('day', '>=', day(from))
        .where('day', '<=', day(to - 1));
      if (campaignFilter !== undefined) costs = costs.where('campaign_id', '=', campaignFilter);
      for (const c of await costs.execute()) {
        const key = params.groupBy === 'day' ? c.day : (dims.byCampaign.get(c.campaign_id)?.slug ?? NONE);
        const counts = groupOf(key);
        counts.spend?.set(c.currency, (counts.spend.get(c.currency) ?? 0) + Number(c.amount));
        counts.impressions = (counts.impressions ?? 0) + Number(c.impressions ?? 0);
        counts.reach = (counts.reach ?? 0) + Number(c.reach ?? 0);
      }
      await pace.step();
    }
    from = to;
  }

  return { groups, groupOf, keyOf, moneyGroups };
}

type AttributedTouch = Touch & { dims: Dims };

/** A stored touch (store/touches.repository.ts) as the attribution models see it. */
function toTouch(
  row: Selectable<EventTouchTable>,
  dims: Awaited<ReturnType<typeof loadDims>>,
): AttributedTouch {
  const at = Number(row.touch_at);
  switch (row.touch_kind) {
    case 'click': {
      // A click belongs to its link's campaign, as the click counts do.
      const d = dims.of(row.link_id, null);
      const campaignId = row.link_id === null ? null : (dims.byLink.get(row.link_id)?.campaignId ?? null);
      return {
        id: `c${row.touch_id}`,
        type: 'click',
        at,
        campaignId,
        channel: d.channel,
        linkId: row.link_id,
        dims: d,
      };
    }
    case 'exposure': {
      const d = dims.of(row.link_id, row.campaign_id);
      const channel = row.channel ?? d.channel;
      return {
        id: `e${row.touch_id}`,
        type: 'exposure',
        at,
        campaignId: row.campaign_id,
        channel,
        linkId: row.link_id,
        dims: row.channel && d.channel === UNATTRIBUTED ? { ...d, channel: row.channel } : d,
      };
    }
    default: {
      // A chat start, or a discount code: a click on its campaign at the purchase.
      const d = dims.of(row.link_id, row.campaign_id);
      const chat = row.touch_kind === 'chat_started';
      return {
        id: `${chat ? 's' : 'd'}${row.touch_id}`,
        type: chat ? 'chat_started' : 'click',
        at,
        campaignId: row.campaign_id,
        channel: d.channel,
        linkId: row.link_id,
        dims: d,
      };
    }
  }
}

/** One slice of a report's period, with its conversions attributed. */
interface Slice {
  from: number;
  to: number;
  /** Results of the given type, keeping only those that touch the filtered campaign (or are unattributed, without a filter). */
  of(type: string): Attribution[];
}

/**
 * Hands `compute` every conversion of the period with its touches, attributed, a slice at a time,
 * and `merge` what it made of each. The touches are stored with each event as it arrives
 * (store/touches.repository.ts) and filed under each campaign they touch: a campaign's
 * conversions are one key range, read a week at a time. Without a campaign filter the period is
 * read a UTC day at a time (memory holds a day, not the store), and each whole day's part is kept
 * (store/report-slices.repository.ts) until an event or touch of that day, or a link or campaign,
 * changes: a report over a month recomputes only the days written since. Reads are paged and the
 * work paced (`ctx.pace`), so a year-long report never holds the event loop for long.
 */
async function forEachSlice<C>(
  db: Db,
  params: ReportParams,
  ctx: { conversionType: string; dims: Awaited<ReturnType<typeof loadDims>>; kind: string; pace: Pacer },
  compute: (slice: Slice) => Promise<C>,
  merge: (part: C) => void,
): Promise<void> {
  const { conversionType, dims, pace } = ctx;
  const types = [...new Set([conversionType, 'purchase', 'refund'])];
  const campaignId = params.campaignId;
  const wholeStore = campaignId === undefined;
  const options = {
    model: params.model,
    windows: params.windows,
    ...(params.halfLifeMs !== undefined && { halfLifeMs: params.halfLifeMs }),
  };
  const inCampaign = (touch: Touch) => campaignId === undefined || touch.campaignId === campaignId;
  // Whole UTC days of a whole-store report are cached, under the report's every parameter.
  const cacheable = (from: number, to: number) => wholeStore && from % DAY === 0 && to - from === DAY;
  const { epoch } = wholeStore ? await readDayVersions(db, 0, 0) : { epoch: 0 };
  const signature = JSON.stringify({
    v: 1,
    kind: ctx.kind,
    epoch,
    conversionType,
    groupBy: params.groupBy,
    ...options,
  });

  // The slices this report reads or writes are marked with its use number: the cache keeps the
  // most recently used. (Slices the last report used are left as they are: asking the same report
  // again writes nothing.)
  const use = wholeStore ? await nextSliceUse(db) : 0;
  let staleHits = 0;
  let stored = 0;

  // A week of day versions and cached slices at a time: memory holds a week of payloads at most.
  for (let chunk = params.from; chunk < params.to;) {
    const chunkEnd = Math.min(params.to, chunk - (chunk % DAY) + CHUNK_MS);
    const firstDay = chunk - (chunk % DAY);
    const versions = wholeStore ? (await readDayVersions(db, firstDay, chunkEnd)).versions : new Map();
    const cached = wholeStore ? await readSlices(db, signature, firstDay, chunkEnd) : new Map();
    await pace.step();
    const fresh: { signature: string; day: number; version: number; payload: string }[] = [];

    for (let from = chunk; from < chunkEnd;) {
      // Day slices start at UTC midnight (a period starting mid-day has a short first slice); a
      // campaign's period is read a week at a time.
      const to = wholeStore ? Math.min(chunkEnd, from - (from % DAY) + DAY) : chunkEnd;
      const version = versions.get(from) ?? 0;
      const hit = cacheable(from, to) ? cached.get(from) : undefined;
      if (hit && hit.version === version) {
        if (hit.lastUse < use - 1) staleHits += 1;
        merge(JSON.parse(hit.payload) as C);
        from = to;
        if (pace.due()) await pace.pause();
        continue;
      }
      const results = await attributeSlice(db, { from, to, types, campaignId, dims, options, pace });
      const part = await compute({
        from,
        to,
        of: (type) =>
          results.filter((r) => r.type === type && (campaignId === undefined || r.eligible.some(inCampaign))),
      });
      if (cacheable(from, to) && stored + fresh.length < MAX_SLICES_PER_REPORT) {
        fresh.push({ signature, day: from, version, payload: JSON.stringify(part) });
      }
      merge(part);
      await pace.step();
      from = to;
    }
    await storeSlices(db, fresh, use);
    stored += fresh.length;
    chunk = chunkEnd;
  }
  if (staleHits > 0) await markSlicesUsed(db, signature, params.from - (params.from % DAY), params.to, use);
  if (stored > 0) await evictSlices(db, MAX_CACHED_SLICES);
}

/**
 * The conversions of [from, to) with their stored touches, attributed: read a page at a time per
 * type in key order (a page never holds the loop for long, and an event whose touches straddle two
 * pages is put back together by its id).
 */
async function attributeSlice(
  db: Db,
  slice: {
    from: number;
    to: number;
    types: readonly string[];
    campaignId: number | undefined;
    dims: Awaited<ReturnType<typeof loadDims>>;
    options: Parameters<typeof attribute>[2];
    pace: Pacer;
  },
): Promise<(Attribution & { type: string })[]> {
  const { from, to, dims, pace } = slice;
  const conversions = new Map<number, { type: string; conversion: Conversion; touches: AttributedTouch[] }>();
  const add = (id: number, type: string, at: number, amount: number | null, currency: string | null) => {
    let entry = conversions.get(id);
    if (!entry) {
      entry = {
        type,
        conversion: {
          id,
          at: Number(at),
          ...(amount !== null && currency !== null && { value: { amount: Number(amount), currency } }),
        },
        touches: [],
      };
      conversions.set(id, entry);
    }
    return entry;
  };
  type EventKey = [number, number];
  type TouchKey = [number, number, string, number];
  // Every conversion, those without any touch too (they are the unattributed ones).
  const events = (types: readonly string[], last?: EventKey) =>
    db
      .selectFrom('events')
      .select(['id', 'type', 'occurred_at', 'amount', 'currency'])
      .where('type', 'in', types)
      .where('occurred_at', '>=', from)
      .where('occurred_at', '<', to)
      .$if(last !== undefined, (q) =>
        q.where((eb) => eb(eb.refTuple('occurred_at', 'id'), '>', eb.tuple(last![0], last![1]))),
      );
  const touches = (types: readonly string[], last?: TouchKey) =>
    db
      .selectFrom('event_touches')
      .selectAll()
      .where('filed_under', '=', slice.campaignId ?? 0)
      .where('event_type', 'in', types)
      .where('event_at', '>=', from)
      .where('event_at', '<', to)
      .$if(last !== undefined, (q) =>
        q.where((eb) =>
          eb(
            eb.refTuple('event_at', 'event_id', 'touch_kind', 'touch_id'),
            '>',
            eb.tuple(last![0], last![1], last![2], last![3]),
          ),
        ),
      );
  const addEvent = (e: {
    id: number;
    type: string;
    occurred_at: number;
    amount: number | null;
    currency: string | null;
  }) => add(e.id, e.type, e.occurred_at, e.amount, e.currency);
  const addTouch = async (rows: readonly Selectable<EventTouchTable>[]) => {
    for (const row of rows) {
      add(row.event_id, row.event_type, row.event_at, row.amount, row.currency).touches.push(
        toTouch(row, dims),
      );
      if (pace.due()) await pace.pause();
    }
  };

  // Most slices are light: one unordered query per table, stopped at a page, reads them whole. A
  // heavier one is read again a type at a time in key order, a page at a time.
  if (slice.campaignId === undefined) {
    const probe = await events(slice.types).limit(PAGE).execute();
    await pace.step();
    if (probe.length < PAGE) probe.forEach(addEvent);
    else {
      for (const type of slice.types) {
        for (let last: EventKey | undefined; ;) {
          const page = await events([type], last).orderBy('occurred_at').orderBy('id').limit(PAGE).execute();
          page.forEach(addEvent);
          await pace.step();
          const end = page.at(-1);
          if (page.length < PAGE || !end) break;
          last = [end.occurred_at, end.id];
        }
      }
    }
  }
  const probe = await touches(slice.types).limit(PAGE).execute();
  await pace.step();
  if (probe.length < PAGE) await addTouch(probe);
  else {
    for (const type of slice.types) {
      for (let last: TouchKey | undefined; ;) {
        const page = await touches([type], last)
          .orderBy('event_at')
          .orderBy('event_id')
          .orderBy('touch_kind')
          .orderBy('touch_id')
          .limit(PAGE)
          .execute();
        await addTouch(page);
        await pace.step();
        const end = page.at(-1);
        if (page.length < PAGE || !end) break;
        last = [end.event_at, end.event_id, end.touch_kind, end.touch_id];
      }
    }
  }

  const results: (Attribution & { type: string })[] = [];
  for (const { type, conversion, touches } of conversions.values()) {
    results.push(Object.assign(attribute(conversion, touches, slice.options), { type }));
    if (pace.due()) await pace.pause();
  }
  return results;
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

/** What a group was credited with: conversions, revenue per currency, immediate and assisted. */
interface Credited {
  conversions: number;
  revenue: Record<string, number>;
  immediate: number;
  assisted: number;
  assistedRevenue: Record<string, number>;
}

/** One slice's part of the funnel (plain JSON: whole days are cached). */
interface FunnelPart {
  /** [group key, first chats, qualified leads] */
  direct: [string, number, number][];
  credited: Record<string, Credited>;
  unattributed: number;
}

const addTo = (into: Record<string, number>, currency: string, amount: number) => {
  into[currency] = (into[currency] ?? 0) + amount;
};

/** Rows of the funnel report, one per group and currency, with every KPI and its interval. */
export async function funnelReport(db: Db, params: ReportParams) {
  const { dims, conversionType, slices, pace } = await reportContext(db, params);
  const { groups, groupOf, keyOf, moneyGroups } = await funnelCounts(db, params, dims, pace);
  const convKey = (touch: Touch) =>
    params.groupBy === 'day' ? '' : (touch as AttributedTouch).dims[params.groupBy as keyof Dims];
  const inFilter = (touch: Touch) =>
    params.campaignId === undefined || touch.campaignId === params.campaignId;
  const dayKey = (result: Attribution) => day(result.conversion.at);
  const groupKeyOf = (result: Attribution, touch: Touch) =>
    params.groupBy === 'day' ? dayKey(result) : convKey(touch);
  const byDay = params.groupBy === 'day';
  const dayOf = sql<number>`occurred_at - (occurred_at % ${sql.lit(DAY)})`;

  async function compute(slice: Slice): Promise<FunnelPart> {
    const part: FunnelPart = { direct: [], credited: {}, unattributed: 0 };
    const slot = (key: string) =>
      (part.credited[key] ??= {
        conversions: 0,
        revenue: {},
        immediate: 0,
        assisted: 0,
        assistedRevenue: {},
      });

    // First chats and qualified leads, by the link or campaign each event was matched to
    // (counted by the database from a covering index).
    let direct = db
      .selectFrom('events')
      .select(['type', 'link_id', 'campaign_id', 'reentry'])
      .select(byDay ? dayOf.as('day') : sql<number>`0`.as('day'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('type', 'in', ['chat_started', 'qualified'])
      .where('occurred_at', '>=', slice.from)
      .where('occurred_at', '<', slice.to)
      .groupBy(['type', 'link_id', 'campaign_id', 'reentry'])
      .$if(byDay, (q) => q.groupBy(dayOf));
    if (params.campaignId !== undefined) direct = direct.where('campaign_id', '=', params.campaignId);
    for (const e of await direct.execute()) {
      const key = keyOf(dims.of(e.link_id, e.campaign_id), Number(e.day));
      if (e.type === 'qualified') part.direct.push([key, 0, Number(e.n)]);
      else if (Number(e.reentry) === 0) part.direct.push([key, Number(e.n), 0]);
    }

    for (const result of slice.of(conversionType)) {
      if (result.unattributed) {
        part.unattributed += 1;
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
        if (money && conversionType === 'purchase')
          addTo(slot(key).assistedRevenue, money.currency, money.amount);
      }
      if (pace.due()) await pace.pause();
    }
    // Revenue: purchases net of refunds, credited with the same model (integer minor units).
    for (const [type, sign] of [
      ['purchase', 1],
      ['refund', -1],
    ] as const) {
      const results = slice.of(type).filter((r) => !r.unattributed);
      if (results.length === 0) continue;
      if (byDay) {
        for (const r of results) {
          const money = r.conversion.value;
          if (!money) continue;
          const share = r.credits.filter((c) => inFilter(c.touch)).reduce((s, c) => s + c.credit, 0);
          addTo(slot(dayKey(r)).revenue, money.currency, sign * Math.round(share * money.amount));
          if (pace.due()) await pace.pause();
        }
        continue;
      }
      const summary = await aggregatePaced(
        results,
        { by: (touch) => (inFilter(touch) ? `${convKey(touch)}` : '\u0000') },
        pace,
      );
      for (const row of summary.rows) {
        if (row.key === '\u0000') continue;
        for (const [currency, amount] of Object.entries(row.value))
          addTo(slot(row.key).revenue, currency, sign * amount);
      }
    }
    return part;
  }

  const credited = new Map<string, Credited>();
  let unattributed = 0;
  await slices('funnel', compute, (part) => {
    for (const [key, chats, qualified] of part.direct) {
      const counts = groupOf(key);
      counts.chats_started += chats;
      counts.qualified += qualified;
    }
    for (const [key, c] of Object.entries(part.credited)) {
      const into = credited.get(key);
      if (!into) {
        credited.set(key, c);
        continue;
      }
      into.conversions += c.conversions;
      into.immediate += c.immediate;
      into.assisted += c.assisted;
      for (const [currency, amount] of Object.entries(c.revenue)) addTo(into.revenue, currency, amount);
      for (const [currency, amount] of Object.entries(c.assistedRevenue))
        addTo(into.assistedRevenue, currency, amount);
    }
    unattributed += part.unattributed;
  });

  const keys = new Set([...groups.keys(), ...credited.keys()]);
  const rows: FunnelRow[] = [];
  for (const key of [...keys].sort()) {
    const counts = groups.get(key) ?? emptyCounts(moneyGroups);
    const money = credited.get(key);
    const currencies = new Set([...(counts.spend?.keys() ?? []), ...Object.keys(money?.revenue ?? {})]);
    for (const currency of currencies.size > 0 ? [...currencies].sort() : [null]) {
      const spend = counts.spend && currency ? (counts.spend.get(currency) ?? 0) : null;
      const revenue = currency ? (money?.revenue[currency] ?? 0) : 0;
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
      const assistedRevenue = currency ? (money?.assistedRevenue[currency] ?? 0) : 0;
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

/** `aggregate`, a batch at a time, pausing between batches when the work has taken its budget. */
async function aggregatePaced(
  results: readonly Attribution[],
  options: Parameters<typeof createAggregator>[0],
  pace: Pacer,
): Promise<AttributionSummary> {
  const aggregator = createAggregator(options);
  for (let i = 0; i < results.length; i += 500) {
    aggregator.add(results.slice(i, i + 500));
    await pace.step();
  }
  return aggregator.summary();
}

/** Credits are sums of fractions; six decimals keep 1/3 + 1/3 + 1/3 from printing as 0.9999999999. */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** The over-attribution view: per campaign or channel, credited vs claimed, immediate and assisted. */
export async function attributionReport(db: Db, params: ReportParams & { groupBy: 'campaign' | 'channel' }) {
  const { conversionType, slices, pace } = await reportContext(db, params);
  const by = (touch: Touch) => (touch as AttributedTouch).dims[params.groupBy];
  const aggregator = createAggregator({ by });
  await slices(
    'attribution',
    (slice) => aggregatePaced(slice.of(conversionType), { by }, pace),
    (part) => aggregator.addSummary(part),
  );
  const summary = aggregator.summary();
  return {
    conversion: conversionType,
    conversions: summary.conversions,
    value: summary.value,
    rows: summary.rows.map((r) => ({ ...r, credited: round6(r.credited) })),
    unattributed: summary.unattributed,
  };
}
