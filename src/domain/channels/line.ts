import { ChatmarkError } from '../errors.js';
import { acceptFields, checkLength, encodeText, requireField, visibleDraft } from './common.js';
import type { ChannelLink, LinkRequest } from './types.js';

const FIELDS = ['id', 'text', 'ref'] as const;

/** A LINE Official Account id after its `@`: lowercase letters, digits, `.`, `_`, `-`. */
const LINE_ID = /^[a-z0-9._-]+$/;

/**
 * LINE Official Account chat: `https://line.me/R/oaMessage/%40<id>/?<encoded text>`
 * (spec/channels.md §6.1): the `@` percent-encoded, and `?` followed directly by the text, not
 * `key=value`. No hidden carrier, so the ref is visible in the text. `line://` is deprecated,
 * hence no appUrl.
 *
 * @example buildLine({ id: '@abc1234d', text: 'Hello' }).url === 'https://line.me/R/oaMessage/%40abc1234d/?Hello'
 */
export function buildLine(request: LinkRequest): ChannelLink {
  const fields = acceptFields(request, FIELDS, 'LINE');
  const input = requireField(fields.id, 'id', 'LINE');
  const id = input.startsWith('@') ? input.slice(1) : input;
  if (!LINE_ID.test(id)) {
    throw new ChatmarkError(
      'invalid_line_id',
      `"${input}" is not a LINE Official Account id: "@" then lowercase letters, digits, ".", "_" or "-"`,
      'id',
    );
  }
  const warnings: string[] = [];
  const text = visibleDraft('LINE', fields.text, fields.ref, warnings);
  const base = `https://line.me/R/oaMessage/%40${id}/`;
  warnings.push('LINE links do not open in LINE for PC (macOS, Windows)');
  return checkLength({
    channel: 'line',
    url: text === null ? base : `${base}?${encodeText(text)}`,
    appUrl: null,
    carrier: 'text',
    text,
    warnings,
  });
}
