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
