import { ChatmarkError } from './errors.js';

const DAY = 86_400_000;

/**
 * The longest period a ranged read (a report, a link's stats, an experiment's results) may cover:
 * a year, leap day included. A whole-store report keeps one cached slice per day, so this is also
 * the most slices one request can write; the 90-day touch window fits in it four times over.
 */
export const MAX_RANGE_DAYS = 366;
export const MAX_RANGE_MS = MAX_RANGE_DAYS * DAY;

/** The plausible window of any time Chatmark is asked about: 2000-01-01 up to the end of 2100. */
export const EARLIEST_TIME = Date.UTC(2000, 0, 1);
export const LATEST_TIME = Date.UTC(2101, 0, 1);

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO 8601 date-time: seconds and fraction optional, `Z`, an offset or none (local time). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An ISO 8601 date (`2026-11-01`, UTC midnight) or date-time as epoch ms; anything else, a day
 * that does not exist (`2026-02-30`) included, is `invalid_date`. (`Date.parse` alone would take
 * `1` as the year 2001 and roll February 30th over to March.)
 *
 * @example parseIsoTime('2026-11-01', 'from') // 1793491200000
 */
export function parseIsoTime(value: string, field: string): number {
  const ms = DATE_ONLY.test(value)
    ? Date.parse(`${value}T00:00:00Z`)
    : DATE_TIME.test(value)
      ? Date.parse(value)
      : Number.NaN;
  const date = value.slice(0, 10);
  if (Number.isNaN(ms) || (DATE_ONLY.test(date) && !isRealDay(date))) {
    throw new ChatmarkError('invalid_date', `${field} must be an ISO 8601 date or time`, field);
  }
  return ms;
}

const isRealDay = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`)).toISOString().slice(0, 10) === date;

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Refuses a time outside the plausible window [2000-01-01, 2101-01-01) (`invalid_range`, naming `field`). */
export function checkPlausible(ms: number, field: string): void {
  if (!(ms >= EARLIEST_TIME && ms < LATEST_TIME)) {
    throw new ChatmarkError(
      'invalid_range',
      `${field} must be between ${iso(EARLIEST_TIME)} and ${iso(LATEST_TIME - DAY)}`,
      field,
    );
  }
}

/**
 * Checks a period [from, to) before anything reads the store: both ends plausible, `from` before
 * `to` (`invalid_range`), and at most {@link MAX_RANGE_DAYS} days long (`range_too_long`).
 *
 * @example checkRange(Date.parse('2026-01-01'), Date.parse('2026-03-01')) // fine
 */
export function checkRange(from: number, to: number): void {
  checkPlausible(from, 'from');
  checkPlausible(to - 1, 'to'); // `to` is exclusive: the end of 2100 is fine
  if (from >= to) throw new ChatmarkError('invalid_range', '`from` must be before `to`', 'from');
  if (to - from > MAX_RANGE_MS) {
    throw new ChatmarkError(
      'range_too_long',
      `The period is ${Math.ceil((to - from) / DAY)} days; the longest is ${MAX_RANGE_DAYS} days`,
      'from',
    );
  }
}
