import { ChatmarkError } from '../errors.js';
import { allocateMinorUnits } from './allocate.js';
import type { Attribution, AttributionModel, Touch, Windows } from './types.js';

/** Money per ISO 4217 currency, in integer minor units; currencies are never added together. */
export type MoneyByCurrency = Record<string, number>;

/** One key (channel, campaign, link, …) of the over-attribution view (spec/metrics.md §2). */
export interface AttributionRow {
  key: string;
  /** Σ credit under the model; summed over keys it never exceeds the number of conversions. */
  credited: number;
  /** Conversions in which the key has at least one eligible touch: what a single-key tool reports. */
  claimed: number;
  /** Conversions whose immediate (last eligible) touch belongs to the key. */
  immediate: number;
  /**
   * Conversions in which the key has an assist (an eligible touch other than the last) but not the
   * immediate touch: immediate and assisted are disjoint, so immediate + assisted = claimed
   * (spec/metrics.md §1: 32 purchases + 40 assisted = 72).
   */
  assisted: number;
  /** The conversions' value split by credit, per currency. */
  value: MoneyByCurrency;
}

export interface AttributionSummary {
  /** The parameters every result shared (null when there were no results), kept with the report. */
  model: AttributionModel | null;
  windows: Windows | null;
  halfLifeMs: number | null;
  conversions: number;
  /** Σ of every conversion's value, per currency. */
  value: MoneyByCurrency;
  /** One row per key that claimed a conversion, sorted by key (UTF-16 order). */
  rows: AttributionRow[];
  /** Conversions with no eligible touch: their own row, never spread over the keys. */
  unattributed: { count: number; value: MoneyByCurrency };
}

export interface AggregateOptions {
  /** The key of a touch, e.g. `(t) => t.channel ?? '(none)'` or `(t) => String(t.campaignId)`. */
  by: (touch: Touch) => string;
}

/**
 * Sums attribution results per key: credited (Σ credit), claimed, immediate and assisted counts,
 * and the credited value per currency. Each conversion's value is split over its keys in integer
 * minor units by the largest-remainder method, so per currency Σ rows + unattributed equals the
 * conversions' total exactly. Σ claimed may exceed `conversions`; Σ credited + unattributed.count
 * equals it (within float rounding). Throws ChatmarkError `mixed_attribution_parameters` (results)
 * when results come from different models, windows or half-lives: one report, one set of parameters.
 *
 * @example aggregate(results, { by: (touch) => touch.channel ?? '(none)' }).rows
 */
export function aggregate(results: readonly Attribution[], options: AggregateOptions): AttributionSummary {
  const aggregator = createAggregator(options);
  aggregator.add(results);
  return aggregator.summary();
}

/**
 * `aggregate` in parts: results added batch by batch (a report reads its conversions a slice at a
 * time, so memory holds one slice, not the period), summed exactly as one `aggregate` call over
 * all of them would.
 *
 * @example const a = createAggregator({ by }); a.add(slice1); a.add(slice2); a.summary()
 */
export function createAggregator(options: AggregateOptions) {
  const rows = new Map<string, AttributionRow>();
  const value: MoneyByCurrency = {};
  const unattributed = { count: 0, value: {} as MoneyByCurrency };
  let first: AttributionParameters | undefined;
  let conversions = 0;
  const rowOf = (key: string): AttributionRow => {
    let row = rows.get(key);
    if (row === undefined) {
      row = { key, credited: 0, claimed: 0, immediate: 0, assisted: 0, value: {} };
      rows.set(key, row);
    }
    return row;
  };

  return {
    add(results: readonly Attribution[]): void {
      first ??= results[0];
      if (first) checkSameParameters(first, results);
      conversions += results.length;
      for (const result of results) {
        const money = result.conversion.value;
        if (money !== undefined) addMoney(value, money.currency, money.amount);
        if (result.unattributed) {
          unattributed.count += 1;
          if (money !== undefined) addMoney(unattributed.value, money.currency, money.amount);
          continue;
        }

        for (const key of new Set(result.eligible.map(options.by))) rowOf(key).claimed += 1;
        const immediateKey = result.immediate === null ? null : options.by(result.immediate);
        if (immediateKey !== null) rowOf(immediateKey).immediate += 1;
        for (const key of new Set(result.assists.map(options.by)))
          if (key !== immediateKey) rowOf(key).assisted += 1;

        const creditByKey = new Map<string, number>();
        for (const { touch, credit } of result.credits) {
          const key = options.by(touch);
          creditByKey.set(key, (creditByKey.get(key) ?? 0) + credit);
        }
        // Sorted so that the largest-remainder tie-break does not depend on the order of the credits.
        const keys = [...creditByKey.keys()].sort(compareKeys);
        // A key's share of one conversion is at most 1; the clamp only removes float excess, and it
        // keeps credited ≤ claimed exact for every key.
        for (const key of keys) rowOf(key).credited += Math.min(1, creditByKey.get(key)!);
        if (money !== undefined) {
          const parts = allocateMinorUnits(
            money.amount,
            keys.map((key) => creditByKey.get(key)!),
          );
          keys.forEach((key, i) => {
            addMoney(rowOf(key).value, money.currency, parts[i]!);
          });
        }
      }
    },
    /** Adds another aggregator's summary (a slice summed earlier, e.g. kept in a cache). */
    addSummary(part: AttributionSummary): void {
      if (part.conversions === 0) return;
      if (part.model !== null && part.windows !== null) {
        const params = { model: part.model, windows: part.windows, halfLifeMs: part.halfLifeMs };
        first ??= params;
        checkSameParameters(first, [params]);
      }
      conversions += part.conversions;
      for (const [currency, amount] of Object.entries(part.value)) addMoney(value, currency, amount);
      unattributed.count += part.unattributed.count;
      for (const [currency, amount] of Object.entries(part.unattributed.value))
        addMoney(unattributed.value, currency, amount);
      for (const row of part.rows) {
        const into = rowOf(row.key);
        into.credited += row.credited;
        into.claimed += row.claimed;
        into.immediate += row.immediate;
        into.assisted += row.assisted;
        for (const [currency, amount] of Object.entries(row.value)) addMoney(into.value, currency, amount);
      }
    },
    summary(): AttributionSummary {
      return {
        model: first?.model ?? null,
        windows: first?.windows ?? null,
        halfLifeMs: first?.halfLifeMs ?? null,
        conversions,
        value,
        rows: [...rows.values()].sort((a, b) => compareKeys(a.key, b.key)),
        unattributed,
      };
    },
  };
}

function addMoney(into: MoneyByCurrency, currency: string, amount: number): void {
  into[currency] = (into[currency] ?? 0) + amount;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type AttributionParameters = Pick<Attribution, 'model' | 'windows' | 'halfLifeMs'>;

function checkSameParameters(first: AttributionParameters, results: readonly AttributionParameters[]): void {
  const same = (result: AttributionParameters): boolean =>
    result.model === first.model &&
    result.halfLifeMs === first.halfLifeMs &&
    result.windows.click === first.windows.click &&
    result.windows.chat_started === first.windows.chat_started &&
    result.windows.exposure === first.windows.exposure;
  const odd = results.findIndex((result) => !same(result));
  if (odd !== -1) {
    throw new ChatmarkError(
      'mixed_attribution_parameters',
      `Result ${odd} was computed with another model, window or half-life than result 0; aggregate one set at a time`,
      'results',
    );
  }
}
