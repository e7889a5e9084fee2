import {
  type Attribution,
  type AttributionModel,
  attribute,
  type Conversion,
  type Windows,
} from '../domain/attribution/index.js';
import { MAX_RANGE_DAYS } from '../domain/date-range.js';
import {
  type AttributedTouch,
  attributedTouch,
  type ReportDimensions,
} from '../domain/reports/dimensions.js';
import type { Pacer } from './pacer.js';
import {
  type EventKey,
  readConversions,
  readConversionTouches,
  type TouchKey,
} from '../store/reports.repository.js';
import {
  evictSlices,
  markSlicesUsed,
  nextSliceUse,
  readDayVersions,
  readSlices,
  storeSlices,
} from '../store/report-slices.repository.js';
import type { Db } from '../store/db.js';

const DAY = 86_400_000;
/** How much of a period one read covers where a day would be too fine (a campaign's slices). */
export const CHUNK_MS = 7 * DAY;
/** Rows per page of a slice's conversions and touches: a page is read in a few milliseconds. */
const PAGE = 2000;
/**
 * The report cache's bounds: a report writes at most a slice per day of the longest period, and
 * the table keeps the most recently used slices up to a total (about a dozen year-long reports,
 * or a few hundred monthly ones).
 */
export const MAX_SLICES_PER_REPORT = MAX_RANGE_DAYS;
export const MAX_CACHED_SLICES = 5000;

/** One slice of a report's period, with its conversions attributed. */
export interface Slice {
  from: number;
  to: number;
  /** Results of the given type, keeping only those that touch the filtered campaign (or are unattributed, without a filter). */
  of(type: string): Attribution[];
}

/** What the slices of one report are: its period and filter, and what the cached parts depend on. */
export interface SliceRequest {
  from: number;
  to: number;
  campaignId?: number | undefined;
  /** The report (`funnel`, `attribution`) and its grouping: both are part of a cached slice's signature. */
  kind: string;
  groupBy: string;
  conversionType: string;
  model: AttributionModel;
  windows: Windows;
  halfLifeMs?: number | undefined;
  dims: ReportDimensions;
  pace: Pacer;
}

/**
 * Hands `compute` every conversion of the period with its touches, attributed, a slice at a time,
 * and `merge` what it made of each. The touches are stored with each event as it arrives
 * (store/touches.repository.ts) and filed under each campaign they touch: a campaign's
 * conversions are one key range, read a week at a time. Without a campaign filter the period is
 * read a UTC day at a time (memory holds a day, not the store), and each whole day's part is kept
 * (store/report-slices.repository.ts) until an event or touch of that day, or a link or campaign,
 * changes: a report over a month recomputes only the days written since. Reads are paged and the
 * work paced (`request.pace`), so a year-long report never holds the event loop for long.
 */
export async function forEachSlice<C>(
  db: Db,
  request: SliceRequest,
  compute: (slice: Slice) => Promise<C>,
  merge: (part: C) => void,
): Promise<void> {
  const { conversionType, dims, pace, campaignId } = request;
  const types = [...new Set([conversionType, 'purchase', 'refund'])];
  const wholeStore = campaignId === undefined;
  const options = {
    model: request.model,
    windows: request.windows,
    ...(request.halfLifeMs !== undefined && { halfLifeMs: request.halfLifeMs }),
  };
  const inCampaign = (touch: { campaignId: number | null }) =>
    campaignId === undefined || touch.campaignId === campaignId;
  // Whole UTC days of a whole-store report are cached, under the report's every parameter.
  const cacheable = (from: number, to: number) => wholeStore && from % DAY === 0 && to - from === DAY;
  const { epoch } = wholeStore ? await readDayVersions(db, 0, 0) : { epoch: 0 };
  const signature = JSON.stringify({
    v: 1,
    kind: request.kind,
    epoch,
    conversionType,
    groupBy: request.groupBy,
    ...options,
  });

  // The slices this report reads or writes are marked with its use number: the cache keeps the
  // most recently used. (Slices the last report used are left as they are: asking the same report
  // again writes nothing.)
  const use = wholeStore ? await nextSliceUse(db) : 0;
  let staleHits = 0;
  let stored = 0;

  // A week of day versions and cached slices at a time: memory holds a week of payloads at most.
  for (let chunk = request.from; chunk < request.to;) {
    const chunkEnd = Math.min(request.to, chunk - (chunk % DAY) + CHUNK_MS);
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
  if (staleHits > 0)
    await markSlicesUsed(db, signature, request.from - (request.from % DAY), request.to, use);
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
    dims: ReportDimensions;
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
  const addEvent = (e: Awaited<ReturnType<typeof readConversions>>[number]) =>
    add(e.id, e.type, e.occurred_at, e.amount, e.currency);
  const addTouches = async (rows: Awaited<ReturnType<typeof readConversionTouches>>) => {
    for (const row of rows) {
      add(row.event_id, row.event_type, row.event_at, row.amount, row.currency).touches.push(
        attributedTouch(
          {
            kind: row.touch_kind,
            id: row.touch_id,
            at: Number(row.touch_at),
            linkId: row.link_id,
            campaignId: row.campaign_id,
            channel: row.channel,
          },
          dims,
        ),
      );
      if (pace.due()) await pace.pause();
    }
  };
  const range = { from, to, limit: PAGE };

  // Every conversion, those without any touch too (they are the unattributed ones). Most slices
  // are light: one unordered query per table, stopped at a page, reads them whole. A heavier one
  // is read again a type at a time in key order, a page at a time.
  if (slice.campaignId === undefined) {
    const probe = await readConversions(db, { ...range, types: slice.types });
    await pace.step();
    if (probe.length < PAGE) probe.forEach(addEvent);
    else {
      for (const type of slice.types) {
        for (let after: EventKey | undefined; ;) {
          const page = await readConversions(db, { ...range, types: [type], ordered: true, after });
          page.forEach(addEvent);
          await pace.step();
          const end = page.at(-1);
          if (page.length < PAGE || !end) break;
          after = [end.occurred_at, end.id];
        }
      }
    }
  }
  const filedUnder = slice.campaignId ?? 0;
  const probe = await readConversionTouches(db, { ...range, filedUnder, types: slice.types });
  await pace.step();
  if (probe.length < PAGE) await addTouches(probe);
  else {
    for (const type of slice.types) {
      for (let after: TouchKey | undefined; ;) {
        const page = await readConversionTouches(db, {
          ...range,
          filedUnder,
          types: [type],
          ordered: true,
          after,
        });
        await addTouches(page);
        await pace.step();
        const end = page.at(-1);
        if (page.length < PAGE || !end) break;
        after = [end.event_at, end.event_id, end.touch_kind, end.touch_id];
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
