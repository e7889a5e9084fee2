import { ChatmarkError } from './errors.js';
import { checkCount } from './stats/validate.js';
import { wilsonInterval } from './stats/wilson.js';

/**
 * Funnel KPIs (DESIGN.md "The funnel and its formulas", spec/metrics.md §1). Pure arithmetic over
 * one campaign's counts in one currency: a report never adds two currencies, so the caller groups
 * by currency first.
 */

/** One campaign's (or breakdown row's) totals. Money is integer minor units of `currency`. */
export interface FunnelCounts {
  /** ISO 4217 code, e.g. `USD`. */
  currency: string;
  /** Minor units, ≥ 0. */
  spend: number;
  impressions: number;
  reach: number;
  landing_visits: number;
  /** Human clicks only (bots are never counted). */
  link_clicks: number;
  chats_started: number;
  /** May be fractional: attributed credit (spec/metrics.md §2). */
  qualified: number;
  /** The primary conversion event; may be fractional (attributed credit). */
  conversions: number;
  /** Purchases net of refunds, minor units; negative when refunds exceed purchases. */
  revenue: number;
}

/** Every count zero, in `currency`. @example computeKpis({ ...noCounts('USD'), spend: 1000 }) */
export function noCounts(currency: string): FunnelCounts {
  return {
    currency,
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

export const RATE_KPIS = [
  'ctr',
  'click_to_message_rate',
  'chat_start_rate',
  'qualification_rate',
  'conversion_rate',
] as const;
export type RateKpi = (typeof RATE_KPIS)[number];

/**
 * The KPIs under their fixed names. Each KPI is a plain number (or null when its denominator is 0),
 * so reports, API fields and CSV columns read the same; the 95% Wilson interval of each rate sits
 * in the parallel `intervals` object under the same name (null when the rate is null, or when the
 * numerator exceeds the denominator, e.g. more chats than landing visits, so it is no proportion).
 */
export interface Kpis {
  currency: string;
  /** Minor units per 1000 impressions, rounded half-up. */
  cpm: number | null;
  ctr: number | null;
  click_to_message_rate: number | null;
  chat_start_rate: number | null;
  qualification_rate: number | null;
  conversion_rate: number | null;
  /** Minor units per conversion, rounded half-up. */
  cpa: number | null;
  /** Minor units per qualified lead, rounded half-up. */
  cost_per_qualified_lead: number | null;
  /** (revenue − spend)/spend, unrounded. */
  roi: number | null;
  intervals: Record<RateKpi, [number, number] | null>;
}

/**
 * Rounds half away from zero ("half-up" as in BigDecimal ROUND_HALF_UP): 12.5 → 13, −12.5 → −13.
 *
 * @example roundHalfUp(8333.5) // 8334
 */
export function roundHalfUp(value: number): number {
  const rounded = Math.sign(value) * Math.round(Math.abs(value));
  return rounded === 0 ? 0 : rounded; // no −0 in output
}

/**
 * numerator/denominator rounded half-up; null when the denominator is 0 (or the quotient overflows). Exact (BigInt) when both
 * are whole numbers, so a true .5 is never lost to binary rounding (600000/160 = 3750 exactly).
 *
 * @example divideRoundHalfUp(600_000, 72) // 8333
 * @example divideRoundHalfUp(5, 0) // null
 */
export function divideRoundHalfUp(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  if (Number.isSafeInteger(numerator) && Number.isSafeInteger(denominator)) {
    const negative = numerator < 0 !== denominator < 0;
    const n = BigInt(Math.abs(numerator));
    const d = BigInt(Math.abs(denominator));
    const magnitude = Number((2n * n + d) / (2n * d));
    return negative && magnitude !== 0 ? -magnitude : magnitude;
  }
  const quotient = numerator / denominator;
  // A vanishing fractional denominator (1e-320 credits) would overflow: no finite answer, so null.
  return Number.isFinite(quotient) ? roundHalfUp(quotient) : null;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function interval(numerator: number, denominator: number): [number, number] | null {
  return denominator === 0 || numerator > denominator ? null : wilsonInterval(numerator, denominator);
}

const CURRENCY = /^[A-Z]{3}$/;
const COUNT_FIELDS = [
  'impressions',
  'reach',
  'landing_visits',
  'link_clicks',
  'chats_started',
  'qualified',
  'conversions',
] as const;

function checkCounts(counts: FunnelCounts): void {
  if (typeof counts.currency !== 'string' || !CURRENCY.test(counts.currency)) {
    throw new ChatmarkError(
      'invalid_currency',
      `currency must be an ISO 4217 code like USD, got ${String(counts.currency)}`,
      'currency',
    );
  }
  if (!Number.isSafeInteger(counts.spend) || counts.spend < 0) {
    throw new ChatmarkError(
      'invalid_amount',
      `spend must be whole minor units ≥ 0, got ${counts.spend}`,
      'spend',
    );
  }
  if (!Number.isSafeInteger(counts.revenue)) {
    throw new ChatmarkError(
      'invalid_amount',
      `revenue must be whole minor units, got ${counts.revenue}`,
      'revenue',
    );
  }
  for (const field of COUNT_FIELDS) checkCount(counts[field], field, false);
}

/**
 * Computes every funnel KPI of DESIGN.md's table. A zero denominator gives null, never 0, Infinity
 * or NaN; money KPIs are integer minor units rounded half-up.
 *
 * @example
 * computeKpis({ currency: 'USD', spend: 600_000, impressions: 0, reach: 0, landing_visits: 0,
 *   link_clicks: 0, chats_started: 400, qualified: 160, conversions: 32, revenue: 272_000 })
 * // { qualification_rate: 0.4, conversion_rate: 0.08, cpa: 18750, cost_per_qualified_lead: 3750,
 * //   roi: -0.5466…, cpm: null, ctr: null, … }
 */
export function computeKpis(counts: FunnelCounts): Kpis {
  checkCounts(counts);
  const { spend, impressions, landing_visits, link_clicks, chats_started, qualified, conversions, revenue } =
    counts;
  return {
    currency: counts.currency,
    cpm: impressions === 0 ? null : divideRoundHalfUp(spend * 1000, impressions),
    ctr: ratio(link_clicks, impressions),
    click_to_message_rate: ratio(chats_started, link_clicks),
    chat_start_rate: ratio(chats_started, landing_visits),
    qualification_rate: ratio(qualified, chats_started),
    conversion_rate: ratio(conversions, chats_started),
    cpa: divideRoundHalfUp(spend, conversions),
    cost_per_qualified_lead: divideRoundHalfUp(spend, qualified),
    roi: ratio(revenue - spend, spend),
    intervals: {
      ctr: interval(link_clicks, impressions),
      click_to_message_rate: interval(chats_started, link_clicks),
      chat_start_rate: interval(chats_started, landing_visits),
      qualification_rate: interval(qualified, chats_started),
      conversion_rate: interval(conversions, chats_started),
    },
  };
}
