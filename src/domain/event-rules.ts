import { EARLIEST_TIME } from './date-range.js';
import { ChatmarkError } from './errors.js';
import { containsEmail, containsPhone } from './personal-data.js';

/**
 * What an event must look like to be believed (README "Input limits"). Events arrive from API
 * clients, webhooks and imports; a year-1 timestamp, a made-up currency, a negative purchase or
 * a 20,000-deep `properties` object is a bug or an attack, and once stored it skews every report.
 */

/** The earliest event time accepted: the start of the plausible window every time shares. */
export const EARLIEST_EVENT_TIME = EARLIEST_TIME;
/** How far ahead of the server's clock an event may be (clock skew, time zones written wrong). */
export const MAX_EVENT_LEAD_MS = 86_400_000;
/** `properties` nests at most this many levels (the object itself is level 1). */
export const MAX_PROPERTIES_DEPTH = 5;
/** `properties` serialises to at most this many bytes of JSON. */
export const MAX_PROPERTIES_BYTES = 8 * 1024;

let currencies: ReadonlySet<string> | undefined;

/**
 * True for the ISO 4217 codes this runtime knows (`Intl.supportedValuesOf('currency')`).
 *
 * @example isCurrency('EUR') === true; isCurrency('XYZ') === false
 */
export function isCurrency(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return currencies.has(code);
}

/**
 * Refuses an event time before 2000 or more than a day after `now` (`invalid_time`).
 *
 * @example checkEventTime(Date.UTC(1999, 0, 1), Date.now()) // throws invalid_time
 */
export function checkEventTime(at: number, now: number, field = 'occurredAt'): void {
  if (!Number.isFinite(at) || at < EARLIEST_EVENT_TIME) {
    throw new ChatmarkError('invalid_time', `${field} must be 2000-01-01 or later`, field);
  }
  if (at > now + MAX_EVENT_LEAD_MS) {
    throw new ChatmarkError(
      'invalid_time',
      `${field} is more than a day ahead of the server's clock (${new Date(now).toISOString()})`,
      field,
    );
  }
}

/**
 * Refuses an unknown currency (`invalid_currency`) and a negative amount on anything but a refund
 * (`negative_amount`). Amounts are integer minor units.
 *
 * @example checkMoney({ amount: -500, currency: 'USD' }, 'refund') // fine
 */
export function checkMoney(value: { amount: number; currency: string }, type: string, field = 'value'): void {
  if (!isCurrency(value.currency)) {
    throw new ChatmarkError(
      'invalid_currency',
      `"${value.currency}" is not an ISO 4217 currency code`,
      `${field}.currency`,
    );
  }
  if (value.amount < 0 && type !== 'refund') {
    throw new ChatmarkError(
      'negative_amount',
      `Only a refund may have a negative amount (a ${type} has ${value.amount})`,
      `${field}.amount`,
    );
  }
}

/**
 * Refuses an email address or a phone number in text that is stored in clear (`personal_data`):
 * identities travel in `contact`, where they are hashed. Phones are read strictly (international
 * form, or a value that is only a phone number), so UUIDs, order ids and dates pass.
 *
 * @example checkNoPersonalData('order-1042', 'idempotencyKey') // fine
 */
export function checkNoPersonalData(text: string, field: string): void {
  const found = containsEmail(text) ? 'an email address' : containsPhone(text) ? 'a phone number' : null;
  if (found !== null) {
    throw new ChatmarkError(
      'personal_data',
      `${field} contains ${found}; send identities in "contact", where they are stored hashed`,
      field,
    );
  }
}

interface Level {
  readonly value: unknown;
  readonly depth: number;
  readonly path: string;
}

/**
 * Refuses `properties` nested deeper than 5 levels (`properties_too_deep`), larger than 8 KiB of
 * JSON (`properties_too_large`), or holding an email address or phone number in a key or a text
 * value (`personal_data`, on its path). The depth is measured with a stack of its own before
 * anything serialises the value, so a 20,000-deep object is refused, not a stack overflow.
 *
 * @example checkProperties({ plan: 'pro', items: [{ sku: 'A1' }] }) // fine
 */
export function checkProperties(properties: Record<string, unknown>, field = 'properties'): void {
  const stack: Level[] = [{ value: properties, depth: 1, path: field }];
  const texts: { text: string; path: string }[] = [];
  for (let level = stack.pop(); level !== undefined; level = stack.pop()) {
    const { value, depth, path } = level;
    if (typeof value === 'string') {
      texts.push({ text: value, path });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_PROPERTIES_DEPTH) {
      throw new ChatmarkError(
        'properties_too_deep',
        `${field} may nest at most ${MAX_PROPERTIES_DEPTH} levels`,
        field,
      );
    }
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    for (const [key, child] of entries) {
      if (!Array.isArray(value)) texts.push({ text: key, path: `${path}.${key}` });
      stack.push({ value: child, depth: depth + 1, path: `${path}.${key}` });
    }
  }
  const bytes = new TextEncoder().encode(JSON.stringify(properties)).length;
  if (bytes > MAX_PROPERTIES_BYTES) {
    throw new ChatmarkError(
      'properties_too_large',
      `${field} is ${bytes} bytes of JSON; the limit is ${MAX_PROPERTIES_BYTES}`,
      field,
    );
  }
  for (const { text, path } of texts) checkNoPersonalData(text, path);
}
