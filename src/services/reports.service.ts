import { type Attribution, type AttributionSummary, createAggregator } from '../domain/attribution/index.js';
import { checkRange } from '../domain/date-range.js';
import { ChatmarkError } from '../domain/errors.js';
import { attributionGroup, attributionReportOf } from '../domain/reports/attribution-report.js';
import { reportDimensions, type ReportDimensions, utcDay } from '../domain/reports/dimensions.js';
import { createFunnelPart, createFunnelTotals, type FunnelPart } from '../domain/reports/funnel-report.js';
import type { ReportParams } from '../domain/reports/params.js';
import { humanClicksByLink } from '../store/clicks.repository.js';
import type { Db } from '../store/db.js';
import {
  countChatsAndQualified,
  countLandingVisits,
  readCostDays,
  readReportDimensions,
} from '../store/reports.repository.js';
import { createPacer, type Pacer } from './pacer.js';
import { CHUNK_MS, forEachSlice, type Slice } from './report-slices.js';

/**
 * The funnel and attribution reports: this file reads (store/reports.repository.ts), paces the
 * event loop (a year-long report never holds it for long) and walks the period's slices
 * (report-slices.ts: the day-slice cache); the arithmetic is src/domain/reports, pure.
 */

const DAY = 86_400_000;

/**
 * What both reports stand on: the parameters checked, links and campaigns read, the conversion
 * event chosen, and `slices` walking the period's attributed conversions (see `forEachSlice`).
 */
async function reportContext(db: Db, params: ReportParams, kind: string) {
  checkRange(params.from, params.to);
  const rows = await readReportDimensions(db);
  const dims = reportDimensions(rows.campaigns, rows.links);
  const campaignFilter = params.campaignId;
  if (campaignFilter !== undefined && !dims.byCampaign.has(campaignFilter)) {
    throw new ChatmarkError('campaign_not_found', `No campaign ${campaignFilter}`, 'campaignId');
  }
  const conversionType =
    params.conversion ??
    (campaignFilter !== undefined ? dims.byCampaign.get(campaignFilter)?.primary : undefined) ??
    'purchase';
  const pace = createPacer();
  const slices = <C>(compute: (slice: Slice) => Promise<C>, merge: (part: C) => void) =>
    forEachSlice(db, { ...params, kind, conversionType, dims, pace }, compute, merge);
  return { dims, conversionType, slices, pace };
}

/**
 * The funnel report's direct counts: human clicks from the rollups, landing visits, and spend,
 * impressions and reach from the costs (the chats and qualified leads are counted per slice), read
 * a week at a time so that no one query holds the event loop for long.
 */
async function addDirectCounts(
  db: Db,
  params: ReportParams,
  dims: ReportDimensions,
  totals: ReturnType<typeof createFunnelTotals>,
  pace: Pacer,
) {
  const campaignId = params.campaignId;
  const byDay = params.groupBy === 'day';
  const linkIds =
    campaignId === undefined
      ? undefined
      : [...dims.byLink].filter(([, l]) => l.campaignId === campaignId).map(([id]) => id);

  for (let from = params.from; from < params.to;) {
    const to = Math.min(params.to, from - (from % DAY) + CHUNK_MS);
    // Human link clicks, from the rollups, summed per link (and day) by the database.
    for (const row of await humanClicksByLink(db, { from, to, byDay, linkIds })) totals.addClicks(row);
    await pace.step();

    for (const visits of await countLandingVisits(db, { from, to, byDay })) {
      totals.addVisits(visits);
      if (pace.due()) await pace.pause();
    }
    await pace.step();

    // Spend, impressions and reach: per campaign and day, so only those groupings carry them.
    if (totals.moneyGroups) {
      const costs = await readCostDays(db, { firstDay: utcDay(from), lastDay: utcDay(to - 1), campaignId });
      for (const cost of costs) totals.addCost(cost);
      await pace.step();
    }
    from = to;
  }
}

/** Rows of the funnel report, one per group and currency, with every KPI and its interval. */
export async function funnelReport(db: Db, params: ReportParams) {
  const { dims, conversionType, slices, pace } = await reportContext(db, params, 'funnel');
  const scope = { groupBy: params.groupBy, campaignId: params.campaignId, conversionType, dims };
  const totals = createFunnelTotals(scope);
  await addDirectCounts(db, params, dims, totals, pace);
  const byDay = params.groupBy === 'day';

  async function compute(slice: Slice): Promise<FunnelPart> {
    const part = createFunnelPart(scope);
    // First chats and qualified leads, by the link or campaign each event was matched to.
    const direct = await countChatsAndQualified(db, {
      from: slice.from,
      to: slice.to,
      byDay,
      campaignId: params.campaignId,
    });
    for (const counts of direct) part.addDirect(counts);

    for (const result of slice.of(conversionType)) {
      part.credit(result);
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
          part.creditRevenueOfDay(r, sign);
          if (pace.due()) await pace.pause();
        }
        continue;
      }
      part.creditRevenue(await aggregatePaced(results, { by: part.revenueKey }, pace), sign);
    }
    return part.part;
  }

  await slices(compute, (part) => totals.addPart(part));
  return totals.report();
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

/** The over-attribution view: per campaign or channel, credited vs claimed, immediate and assisted. */
export async function attributionReport(db: Db, params: ReportParams & { groupBy: 'campaign' | 'channel' }) {
  const { conversionType, slices, pace } = await reportContext(db, params, 'attribution');
  const by = attributionGroup(params.groupBy);
  const aggregator = createAggregator({ by });
  await slices(
    (slice) => aggregatePaced(slice.of(conversionType), { by }, pace),
    (part) => aggregator.addSummary(part),
  );
  return attributionReportOf(conversionType, aggregator.summary());
}
