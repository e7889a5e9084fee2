/**
 * Readers for webhook JSON of unknown shape. Platforms add fields and event types without notice,
 * and a parser that throws turns them into error responses that the platform retries for days, so
 * every read here answers `undefined` instead of throwing.
 */

export type JsonRecord = Readonly<Record<string, unknown>>;

/**
 * The value as an object (not an array, not null), or undefined.
 *
 * @example asRecord({ a: 1 })?.a === 1; asRecord([1]) === undefined
 */
export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonRecord)
    : undefined;
}

/**
 * The value as an array, or an empty one: a missing list and an empty list mean the same here.
 *
 * @example asArray(undefined).length === 0
 */
export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * A non-empty string, or undefined.
 *
 * @example asText('') === undefined
 */
export function asText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * An identifier that platforms send as a string or as a JSON number (Telegram user ids, Viber
 * message tokens, Shopify order ids): as a string, or undefined. Only integers count as numeric ids.
 *
 * @example asId(123456789) === '123456789'; asId('US.134') === 'US.134'; asId(1.5) === undefined
 */
export function asId(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'bigint') return String(value);
  return undefined;
}

/**
 * A count of whole units (a timestamp) sent as a JSON number or as a string of digits (WhatsApp
 * sends `"1750000000"`), or undefined.
 *
 * @example asWholeNumber('1750000000') === 1750000000
 */
export function asWholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\d{1,16}$/.test(value)) {
    const parsed = Number(value);
    return Number.isSafeInteger(parsed) ? parsed : undefined;
  }
  return undefined;
}

/**
 * Epoch milliseconds of a timestamp in seconds (WhatsApp, Telegram), or undefined.
 *
 * @example secondsToMs('1750000000') === 1_750_000_000_000
 */
export function secondsToMs(value: unknown): number | undefined {
  const seconds = asWholeNumber(value);
  return seconds === undefined ? undefined : seconds * 1000;
}

/**
 * Epoch milliseconds of a timestamp that should be in milliseconds but is sometimes in seconds:
 * Meta's classic webhooks send ms numbers, its newer samples send second strings. No real event is
 * older than 1973 in ms (1e11) or later than year 5138 in seconds, so the magnitude decides.
 *
 * @example flexibleEpochMs(1458692752478) === 1458692752478; flexibleEpochMs('1527459824') === 1527459824000
 */
export function flexibleEpochMs(value: unknown): number | undefined {
  const number = asWholeNumber(value);
  if (number === undefined) return undefined;
  return number < 1e11 ? number * 1000 : number;
}

/**
 * The object without its undefined properties, so that results compare and serialise as the
 * platform sent them (no `"name": undefined` keys).
 *
 * @example compact({ a: 1, b: undefined }) // { a: 1 }
 */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
