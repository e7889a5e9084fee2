import { ChatmarkError, type ErrorCode } from '../errors.js';
import { type Phone, parsePhone } from '../phone.js';
import type { ChannelLink, LinkRequest } from './types.js';

/**
 * Helpers every channel builder shares: field acceptance, the safe token alphabet, text encoding,
 * the visible ref and the URL length rules (spec/channels.md §0, §1.3).
 */

/**
 * The one token alphabet valid in every carrier: Telegram `start`, Messenger/Instagram `ref`, Viber
 * `context` (spec/channels.md §0 — the intersection of the Telegram and Instagram rules, ≤ 64).
 */
export const SAFE_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/** Above this, browsers, SMS and email may cut the link (spec/channels.md §1.3 practical advice). */
export const URL_WARN_LENGTH = 2_000;
/** Above this, the link is refused: common server and proxy request-line limits sit at 8 KiB. */
export const URL_MAX_LENGTH = 8_192;

/**
 * True when `value` is in the safe alphabet and 1–64 characters long.
 *
 * @example isSafeToken('7KQ2-M9XH') === true; isSafeToken('a b') === false
 */
export function isSafeToken(value: string): boolean {
  return SAFE_TOKEN.test(value);
}

/**
 * Checks a token against the safe alphabet, throwing `code` on `field` otherwise.
 *
 * @example checkSafeToken('c_K7Q2', 'context', 'invalid_context', 'Viber context')
 */
export function checkSafeToken(value: string, field: string, code: ErrorCode, what: string): string {
  if (!isSafeToken(value)) {
    throw new ChatmarkError(
      code,
      `${what} must be 1–64 characters of A-Z a-z 0-9 _ - (got "${value}")`,
      field,
    );
  }
  return value;
}

/**
 * Validates the per-click ref token: every carrier takes the same safe alphabet (spec/channels.md §0).
 *
 * @example checkRef('7KQ2-M9XH') === '7KQ2-M9XH'
 */
export function checkRef(ref: string): string {
  return checkSafeToken(ref, 'ref', 'invalid_ref', 'The ref');
}

/**
 * Copies the fields a channel takes and refuses every other one with `unsupported_option`, never
 * dropping it silently. Empty strings and nulls count as not given: forms send every field, JSON
 * clients send null for "unset".
 *
 * @example acceptFields({ phone: '+4479…', start: 'x' }, ['phone'], 'WhatsApp') // throws on start
 */
export function acceptFields<K extends keyof LinkRequest>(
  request: LinkRequest,
  allowed: readonly K[],
  label: string,
): Pick<LinkRequest, K> {
  const accepted: Partial<Record<keyof LinkRequest, string>> = {};
  for (const [field, value] of Object.entries(request) as [string, unknown][]) {
    if (value === undefined || value === null || value === '') continue;
    if (!(allowed as readonly string[]).includes(field)) {
      throw new ChatmarkError('unsupported_option', `${label} links do not take "${field}"`, field);
    }
    // Requests arrive from JSON and CLI flags too; a non-string would only fail later, less clearly.
    if (typeof value !== 'string') {
      throw new ChatmarkError('invalid_option', `"${field}" must be a string`, field);
    }
    accepted[field as keyof LinkRequest] = value;
  }
  return accepted as Pick<LinkRequest, K>;
}

/**
 * Throws `missing_field` when `value` is absent.
 *
 * @example requireField(request.phone, 'phone', 'WhatsApp')
 */
export function requireField(value: string | undefined, field: string, label: string): string {
  if (value === undefined) throw new ChatmarkError('missing_field', `${label} links need "${field}"`, field);
  return value;
}

/**
 * Picks the one target field a request sets among alternatives (Telegram username / phone /
 * shareUrl). None → `missing_field` on the first; several → `conflicting_options` on the second.
 *
 * @example exactlyOne({ phone: '+1…' }, ['username', 'phone', 'shareUrl'], 'Telegram') === 'phone'
 */
export function exactlyOne<K extends keyof LinkRequest>(
  request: Pick<LinkRequest, K>,
  fields: readonly [K, ...K[]],
  label: string,
): K {
  const given = fields.filter((field) => request[field] !== undefined);
  const names = fields.map((field) => `"${field}"`).join(', ');
  const [first, second] = given;
  if (first === undefined) {
    throw new ChatmarkError('missing_field', `${label} links need one of ${names}`, fields[0]);
  }
  if (second !== undefined) {
    throw new ChatmarkError(
      'conflicting_options',
      `${label} links take only one of ${names}; got "${first}" and "${second}"`,
      second,
    );
  }
  return first;
}

/**
 * Parses the phone with the request's country as default (spec/channels.md §7). `country` is refused
 * where there is no phone for it to apply to.
 *
 * @example phoneOf({ phone: '011 15-2345-6789', country: 'AR' }).digits === '5491123456789'
 */
export function phoneOf(request: Pick<LinkRequest, 'phone' | 'country'>, label: string): Phone {
  return parsePhone(requireField(request.phone, 'phone', label), request.country);
}

/**
 * Refuses `country` when no phone is given: it would otherwise be dropped silently.
 *
 * @example refuseStrayCountry({ username: 'acme_bot', country: 'AR' }, 'Telegram') // throws
 */
export function refuseStrayCountry(request: Pick<LinkRequest, 'phone' | 'country'>, label: string): void {
  if (request.country !== undefined && request.phone === undefined) {
    throw new ChatmarkError(
      'unsupported_option',
      `${label} links take "country" only with "phone"`,
      'country',
    );
  }
}

/**
 * Percent-encodes text for a query value: `toWellFormed()` first (lone surrogates would make
 * encodeURIComponent throw), then encodeURIComponent, so space is `%20`, `+` is `%2B`, newline
 * `%0A` (spec/channels.md §1.3). Never `+` for space, never URLSearchParams.
 *
 * @example encodeText('a+b c') === 'a%2Bb%20c'
 */
export function encodeText(text: string): string {
  return encodeURIComponent(text.toWellFormed());
}

/**
 * Counts Unicode code points, the unit of Telegram's 4,096 draft limit (spec/channels.md §2.1).
 *
 * @example codePointLength('👋a') === 2
 */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/**
 * The draft as the recipient sees it: the well-formed text, plus ` (ref TOKEN)` when a ref must
 * travel visibly (DESIGN.md "Chat-start attribution"), or null when there is neither.
 *
 * @example withVisibleRef('Hi!', '7KQ2-M9XH') === 'Hi! (ref 7KQ2-M9XH)'
 */
export function withVisibleRef(text: string | undefined, ref: string | undefined): string | null {
  const draft = text?.toWellFormed();
  if (ref === undefined) return draft ?? null;
  if (draft === undefined) return `(ref ${ref})`;
  // Text already ending in a space or line break needs no extra separator.
  return /\s$/u.test(draft) ? `${draft}(ref ${ref})` : `${draft} (ref ${ref})`;
}

/**
 * The warning for channels (or link forms) with no hidden carrier (spec/channels.md §0, §1.5.1).
 *
 * @example visibleRefWarning('WhatsApp')
 */
export function visibleRefWarning(what: string): string {
  return `${what} cannot carry a hidden ref; the token is visible in the text and users can delete it`;
}

/**
 * Builds the final draft for a text carrier, adding the visible-ref warning when a ref is given.
 *
 * @example visibleDraft('LINE', 'Hi', '7KQ2-M9XH', warnings) === 'Hi (ref 7KQ2-M9XH)'
 */
export function visibleDraft(
  what: string,
  text: string | undefined,
  ref: string | undefined,
  warnings: string[],
): string | null {
  if (ref === undefined) return withVisibleRef(text, undefined);
  checkRef(ref);
  warnings.push(visibleRefWarning(what));
  return withVisibleRef(text, ref);
}

/**
 * Applies the URL length rules to a finished link: a warning above 2,000 characters, refusal above
 * 8,192 (spec/channels.md §1.3, §8).
 *
 * @example checkLength(link) === link
 */
export function checkLength(link: ChannelLink): ChannelLink {
  const length = link.url.length;
  if (length > URL_MAX_LENGTH) {
    throw new ChatmarkError(
      'text_too_long',
      `The link would be ${length} characters long; the limit is ${URL_MAX_LENGTH}. Shorten the text`,
      'text',
    );
  }
  if (length > URL_WARN_LENGTH) {
    link.warnings.push(
      `The link is ${length} characters long; keep it under ${URL_WARN_LENGTH} for browsers, SMS, email and QR codes`,
    );
  }
  return link;
}
