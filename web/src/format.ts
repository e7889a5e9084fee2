/**
 * Numbers, money and dates in the reader's own locale (navigator.language). Money arrives as
 * integer minor units with an ISO 4217 currency and is never added across currencies.
 */

const locale = (): string => (typeof navigator === 'undefined' ? 'en-US' : navigator.language || 'en-US');

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `${locale()}|${JSON.stringify(options)}`;
  let format = cache.get(id);
  if (!format) {
    format = new Intl.NumberFormat(locale(), options);
    cache.set(id, format);
  }
  return format;
}

/** Shown where a value is null: a rate whose denominator is 0, a grouping without spend. */
export const NONE = '—';

/**
 * A count or credited amount (credits can be fractional).
 *
 * @example formatNumber(12345.5) // '12,345.5' in en-US
 */
export function formatNumber(value: number | null | undefined, maximumFractionDigits = 2): string {
  if (value === null || value === undefined) return NONE;
  return numberFormat({ maximumFractionDigits }).format(value);
}

/**
 * A count in short form, for chart axes.
 *
 * @example formatCompact(250000) // '250K' in en-US
 */
export function formatCompact(value: number): string {
  return numberFormat({ notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** The number of minor units in one major unit of `currency` (USD 2, JPY 0, BHD 3), from Intl. */
export function fractionDigits(currency: string): number {
  try {
    return numberFormat({ style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * Money from integer minor units.
 *
 * @example formatMoney(8500, 'USD') // '$85.00' in en-US; formatMoney(500, 'JPY') // '¥500'
 */
export function formatMoney(minor: number | null | undefined, currency: string | null | undefined): string {
  if (minor === null || minor === undefined) return NONE;
  if (!currency) return formatNumber(minor);
  const digits = fractionDigits(currency);
  try {
    return numberFormat({ style: 'currency', currency }).format(minor / 10 ** digits);
  } catch {
    // An unknown code: show it rather than guess a symbol.
    return `${formatNumber(minor / 100)} ${currency}`;
  }
}

/**
 * A rate or ratio (0.25 → 25%); null stays "—", never 0.
 *
 * @example formatPercent(0.1667) // '16.7%'
 */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined) return NONE;
  return numberFormat({ style: 'percent', maximumFractionDigits: 1 }).format(value);
}

/**
 * Decimals (of a percentage) that show a rate and its 95% interval apart: one, more when the
 * interval is narrower than a percentage point (a click-through rate of 0.31%), at most three.
 *
 * @example rateDigits(0.08, [0.064, 0.099]) // 1; rateDigits(0.0031, [0.0029, 0.0033]) // 2
 * @example rateDigits(0.0031, null) // 2 (no interval: two significant digits)
 */
export function rateDigits(value: number, interval?: readonly [number, number] | null): number {
  // Without an interval, two significant digits of the rate itself.
  const [span, extra] = interval ? [interval[1] - interval[0], 0] : [Math.abs(value), 1];
  if (!(span > 0)) return 1;
  return Math.min(3, Math.max(1, Math.ceil(-Math.log10(span * 100)) + extra));
}

const ratePercent = (digits: number) =>
  numberFormat({ style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits });

/**
 * A rate with a fixed number of decimals, so it lines up with its interval; null stays "—".
 *
 * @example formatRate(0.08, 1) // '8.0%' in en-US, '8,0 %' in de-DE
 */
export function formatRate(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return NONE;
  return ratePercent(digits).format(value);
}

/**
 * A 95% interval of a rate as the reader's locale writes a range; null stays "—".
 *
 * @example formatRateInterval([0.064, 0.099], 1) // '6.4% – 9.9%' in en-US, '6,4–9,9 %' in de-DE
 */
export function formatRateInterval(
  interval: readonly [number, number] | null | undefined,
  digits = 1,
): string {
  if (!interval) return NONE;
  const [low, high] = interval;
  const format = ratePercent(digits);
  // formatRange writes a collapsed range ("~0.3%") when both ends round alike: keep both ends.
  return format.format(low) === format.format(high)
    ? `${format.format(low)} – ${format.format(high)}`
    : format.formatRange(low, high);
}

/** A calendar day (`2026-11-23` or an ISO time). */
export function formatDate(value: string | null | undefined): string {
  if (!value) return NONE;
  // A bare day is a UTC day (reports group by UTC day); a time is shown in the reader's zone.
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', ...(day && { timeZone: 'UTC' }) }).format(
    new Date(day ? `${value}T00:00:00Z` : value),
  );
}

/** A point in time, in the reader's time zone. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return NONE;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(value),
  );
}

/**
 * A change with its sign and two decimals, as experiments report it; null stays "—".
 *
 * @example formatSignedPercent(0.04) // '+4.00%'; formatSignedPercent(-0.012) // '-1.20%'
 */
export function formatSignedPercent(value: number | null | undefined): string {
  if (value === null || value === undefined) return NONE;
  return numberFormat({
    style: 'percent',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: 'exceptZero',
  }).format(value);
}

/**
 * A p-value with four decimals; below 0.0001 it says so rather than print zeros.
 *
 * @example formatPValue(0.1591812918) // '0.1592'; formatPValue(2e-5) // '< 0.0001'
 */
export function formatPValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return NONE;
  const four = numberFormat({ minimumFractionDigits: 4, maximumFractionDigits: 4 });
  return value < 0.0001 ? `< ${four.format(0.0001)}` : four.format(value);
}
