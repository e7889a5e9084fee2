import { ChatmarkError } from '../errors.js';
import { acceptFields, checkLength, requireField, visibleDraft } from './common.js';
import type { ChannelLink, LinkRequest } from './types.js';

const FIELDS = ['to', 'subject', 'text', 'ref'] as const;

/**
 * An address as people write it: a dot-atom local part (RFC 5322 atext, plus non-ASCII for
 * internationalised mail), `@`, and a domain of at least two labels. Quoted local parts are not
 * accepted: nobody hands them out for enquiries.
 */
const LOCAL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN = /^([\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

/** RFC 6068 `qchar` besides unreserved: these may stand unencoded in the address. */
const SOME_DELIMS = /%(21|24|27|28|29|2A|2B|2C|3A|3B|40)/g;

/**
 * Email: `mailto:<addr>?subject=<enc>&body=<enc>` (RFC 6068, spec/channels.md §6.4). Spaces are
 * `%20`, `+` is `%2B`, and every line break is `%0D%0A`. The ref travels visibly in the body.
 *
 * @example buildEmail({ to: 'sales@example.com', subject: 'Hi there' }).url === 'mailto:sales@example.com?subject=Hi%20there'
 */
export function buildEmail(request: LinkRequest): ChannelLink {
  const fields = acceptFields(request, FIELDS, 'Email');
  const to = checkAddress(requireField(fields.to, 'to', 'Email'));
  if (fields.subject !== undefined && /[\r\n]/.test(fields.subject)) {
    throw new ChatmarkError('invalid_subject', 'An email subject is a single line', 'subject');
  }
  const warnings: string[] = [];
  const draft = visibleDraft('Email', fields.text, fields.ref, warnings);
  // The reported text is what the body decodes to, so normalise line breaks before encoding.
  const text = draft === null ? null : toCrlf(draft);
  const query: string[] = [];
  if (fields.subject !== undefined) query.push(`subject=${encodeMailto(fields.subject)}`);
  if (text !== null) query.push(`body=${encodeMailto(text)}`);
  const address = encodeURIComponent(to).replace(SOME_DELIMS, (encoded) => decodeURIComponent(encoded));
  return checkLength({
    channel: 'email',
    url: query.length === 0 ? `mailto:${address}` : `mailto:${address}?${query.join('&')}`,
    appUrl: null,
    carrier: 'text',
    text,
    warnings,
  });
}

/**
 * Normalises `\r\n`, lone `\r` and `\n` to CRLF: "Line breaks in the body of a message MUST be
 * encoded with %0D%0A" (RFC 6068 §5).
 *
 * @example toCrlf('a\nb') === 'a\r\nb'
 */
export function toCrlf(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '\r\n');
}

/** encodeURIComponent after `toWellFormed()`: `%20` for spaces and `%2B` for `+`, as RFC 6068 §5 asks. */
function encodeMailto(text: string): string {
  return encodeURIComponent(toCrlf(text.toWellFormed()));
}

function checkAddress(input: string): string {
  const at = input.lastIndexOf('@');
  const local = input.slice(0, at);
  const domain = input.slice(at + 1);
  const valid =
    at > 0 && input.length <= 254 && local.length <= 64 && LOCAL.test(local) && DOMAIN.test(domain);
  if (!valid) throw new ChatmarkError('invalid_email', `"${input}" is not an email address`, 'to');
  return input;
}
