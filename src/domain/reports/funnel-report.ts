import type { Attribution, AttributionSummary, Touch } from '../attribution/index.js';
import { computeKpis, type FunnelCounts, type Kpis, noCounts } from '../funnel.js';
import { round6 } from './attribution-report.js';
import { type AttributedTouch, type Dims, NONE, type ReportDimensions, utcDay } from './dimensions.js';
import type { GroupBy } from './params.js';

/**
 * The funnel report's arithmetic, pure: the service reads counts and attributed conversions from
 * the store (a slice at a time, pacing the event loop) and hands them here one row or conversion
 * at a time; `createFunnelTotals(...).report()` makes the rows. Nothing here reads the store or the
 * clock, so unit tests reach it with plain values.
 */

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

/** What a funnel report is about: the grouping, the campaign filter, the conversion, and the links and campaigns. */
export interface FunnelScope {
  groupBy: GroupBy;
  campaignId: number | undefined;
  /** The conversion event counted as `conversions`. */
  conversionType: string;
  dims: ReportDimensions;
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

/** What a group was credited with: conversions, revenue per currency, immediate and assisted. */
interface Credited {
  conversions: number;
  revenue: Record<string, number>;
  immediate: number;
  assisted: number;
  assistedRevenue: Record<string, number>;
}

/** One slice's part of the funnel (plain JSON: whole days are cached). */
export interface FunnelPart {
  /** [group key, first chats, qualified leads] */
  direct: [string, number, number][];
  credited: Record<string, Credited>;
  unattributed: number;
}

/** Human link clicks of a link (on a UTC day, or 0 when not grouped by day). */
export interface LinkClicks {
  linkId: number;
  day: number;
  clicks: number;
}

/** Landing visits of one link, or without a link of one `utm_campaign` and `utm_source` (on a day, or 0). */
export interface VisitCount {
  linkId: number | null;
  utmCampaign: string | null;
  utmSource: string | null;
  day: number;
  n: number;
}

/** A campaign's spend, impressions and reach on a day, in one currency. */
export interface DayCost {
  day: string;
  campaignId: number;
  currency: string;
  amount: number;
  impressions: number;
  reach: number;
}

/** Chat starts or qualified leads matched to one link or campaign (on a day, or 0). */
export interface DirectCount {
  type: string;
  linkId: number | null;
  campaignId: number | null;
  /** 1 for a chat that re-entered (not a new chat). */
  reentry: number;
  day: number;
  n: number;
}

const addTo = (into: Record<string, number>, currency: string, amount: number) => {
  into[currency] = (into[currency] ?? 0) + amount;
};

/** How facts and credited touches map to group keys, within the campaign filter. */
function funnelKeys({ groupBy, campaignId }: FunnelScope) {
  const dayKey = (result: Attribution) => utcDay(result.conversion.at);
  const convKey = (touch: Touch) =>
    groupBy === 'day' ? '' : (touch as AttributedTouch).dims[groupBy as keyof Dims];
  return {
    keyOf: (d: Dims, at: number) => (groupBy === 'day' ? utcDay(at) : d[groupBy]),
    convKey,
    dayKey,
    inFilter: (touch: Touch) => campaignId === undefined || touch.campaignId === campaignId,
    groupKeyOf: (result: Attribution, touch: Touch) => (groupBy === 'day' ? dayKey(result) : convKey(touch)),
  };
}

/**
 * One slice's part of the funnel: first chats and qualified leads, conversions credited to groups
 * (immediate and assisted beside), and revenue net of refunds credited with the same model.
 *
 * @example const slice = createFunnelPart(scope); for (const r of conversions) slice.credit(r); cache(slice.part);
 */
export function createFunnelPart(scope: FunnelScope) {
  const { dims, conversionType } = scope;
  const { keyOf, convKey, dayKey, inFilter, groupKeyOf } = funnelKeys(scope);
  const part: FunnelPart = { direct: [], credited: {}, unattributed: 0 };
  const slot = (key: string) =>
    (part.credited[key] ??= { conversions: 0, revenue: {}, immediate: 0, assisted: 0, assistedRevenue: {} });
  return {
    part,
    /** Counts chat starts (first chats only) and qualified leads by the link or campaign each was matched to. */
    addDirect(e: DirectCount): void {
      const key = keyOf(dims.of(e.linkId, e.campaignId), e.day);
      if (e.type === 'qualified') part.direct.push([key, 0, e.n]);
      else if (e.reentry === 0) part.direct.push([key, e.n, 0]);
    },
    /** Credits one conversion of the report's type to the groups of its touches. */
    credit(result: Attribution): void {
      if (result.unattributed) {
        part.unattributed += 1;
        return;
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
    },
    /** Grouped by day: credits an attributed purchase (`sign` 1) or refund (-1) to its day, in integer minor units. */
    creditRevenueOfDay(result: Attribution, sign: 1 | -1): void {
      const money = result.conversion.value;
      if (!money) return;
      const share = result.credits.filter((c) => inFilter(c.touch)).reduce((s, c) => s + c.credit, 0);
      addTo(slot(dayKey(result)).revenue, money.currency, sign * Math.round(share * money.amount));
    },
    /** The grouping of purchases and refunds to aggregate by (outside the filter: a key no group has). */
    revenueKey: (touch: Touch): string => (inFilter(touch) ? `${convKey(touch)}` : '\u0000'),
    /** Otherwise: credits purchases or refunds aggregated by `revenueKey`. */
    creditRevenue(summary: AttributionSummary, sign: 1 | -1): void {
      for (const row of summary.rows) {
        if (row.key === '\u0000') continue;
        for (const [currency, amount] of Object.entries(row.value))
          addTo(slot(row.key).revenue, currency, sign * amount);
      }
    },
  };
}

/**
 * The funnel report's totals: direct counts (clicks, visits, costs) and the slices' parts added
 * up, then `report()`: rows per group and currency, with every KPI (DESIGN.md "The funnel and its
 * formulas"). Spend, impressions and reach are per campaign and day, so only those groupings
 * carry them (elsewhere they and the KPIs made from them are null).
 */
export function createFunnelTotals(scope: FunnelScope) {
  const { groupBy, campaignId, dims } = scope;
  const { keyOf } = funnelKeys(scope);
  const moneyGroups = groupBy === 'campaign' || groupBy === 'day';
  const groups = new Map<string, Counts>();
  const credited = new Map<string, Credited>();
  let unattributed = 0;
  const groupOf = (key: string) => {
    let counts = groups.get(key);
    if (!counts) {
      counts = emptyCounts(moneyGroups);
      groups.set(key, counts);
    }
    return counts;
  };
  const slugs = new Map([...dims.byCampaign].map(([id, c]) => [c.slug, id]));

  return {
    /** Whether the grouping carries spend, impressions and reach (by campaign or day). */
    moneyGroups,
    addClicks(row: LinkClicks): void {
      groupOf(keyOf(dims.of(row.linkId, null), row.day)).link_clicks += row.clicks;
    },
    /** Landing visits count by their click's link, else by utm_campaign = the campaign's slug. */
    addVisits(v: VisitCount): void {
      const visitCampaign =
        v.linkId === null
          ? (slugs.get(v.utmCampaign ?? '') ?? null)
          : (dims.byLink.get(v.linkId)?.campaignId ?? null);
      if (campaignId !== undefined && visitCampaign !== campaignId) return;
      const d = dims.of(v.linkId, visitCampaign);
      groupOf(
        keyOf(v.linkId === null && v.utmSource ? { ...d, source: v.utmSource } : d, v.day),
      ).landing_visits += v.n;
    },
    addCost(c: DayCost): void {
      const counts = groupOf(groupBy === 'day' ? c.day : (dims.byCampaign.get(c.campaignId)?.slug ?? NONE));
      counts.spend?.set(c.currency, (counts.spend.get(c.currency) ?? 0) + c.amount);
      counts.impressions = (counts.impressions ?? 0) + c.impressions;
      counts.reach = (counts.reach ?? 0) + c.reach;
    },
    addPart(part: FunnelPart): void {
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
    },
    /** The report: one row per group and currency, sorted by key, and the unattributed conversions. */
    report(): { conversion: string; rows: FunnelRow[]; unattributed: number } {
      const keys = new Set([...groups.keys(), ...credited.keys()]);
      const rows: FunnelRow[] = [];
      for (const key of [...keys].sort())
        rows.push(...groupRows(key, groups.get(key) ?? emptyCounts(moneyGroups), credited.get(key)));
      return { conversion: scope.conversionType, rows, unattributed };
    },
  };
}

/** One group's rows, one per currency of its spend or revenue (one row with a null currency when it has none). */
function groupRows(key: string, counts: Counts, money: Credited | undefined): FunnelRow[] {
  const rows: FunnelRow[] = [];
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
      ...noCounts(currency ?? 'XXX'),
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
  return rows;
}
