import { ChatmarkError } from '../errors.js';
import {
  acceptFields,
  checkLength,
  checkRef,
  checkSafeToken,
  encodeText,
  exactlyOne,
  phoneOf,
  refuseStrayCountry,
  visibleDraft,
} from './common.js';
import type { ChannelLink, LinkRequest } from './types.js';

const FIELDS = ['uri', 'phone', 'country', 'context', 'text', 'ref'] as const;

/** Viber has no https form, and browsers often refuse to open `viber://` (spec/channels.md §3.1). */
export const VIBER_BROWSER_WARNING =
  'Browsers may not open viber:// links; the tracked short link serves an open-app page instead';

/**
 * Viber links (spec/channels.md §3.1). Both forms exist only as `viber://`, so `url` and `appUrl`
 * are the same link:
 * - `uri` (bot): `viber://pa?chatURI=<uri>&context=<ref>&text=…`, `context` being the hidden carrier;
 * - `phone`: `viber://chat?number=%2B<digits>&draft=…` (ref visible, no attribution to any API).
 *
 * @example buildViber({ uri: 'acmebot', ref: '7KQ2-M9XH' }).url === 'viber://pa?chatURI=acmebot&context=7KQ2-M9XH'
 */
export function buildViber(request: LinkRequest): ChannelLink {
  const fields = acceptFields(request, FIELDS, 'Viber');
  const target = exactlyOne(fields, ['uri', 'phone'], 'Viber');
  refuseStrayCountry(fields, 'Viber');
  return checkLength(target === 'uri' ? botLink(fields) : phoneLink(fields));
}

type Fields = Pick<LinkRequest, (typeof FIELDS)[number]>;

function botLink(fields: Fields): ChannelLink {
  const warnings: string[] = [];
  const context =
    fields.context === undefined
      ? undefined
      : checkSafeToken(fields.context, 'context', 'invalid_context', 'A Viber context');
  const ref = fields.ref === undefined ? undefined : checkRef(fields.ref);
  if (context !== undefined && ref !== undefined && context !== ref) {
    warnings.push(`The ref replaces the context "${context}" you set`);
  }
  const carried = ref ?? context;
  const text = fields.text?.toWellFormed() ?? null;
  let url = `viber://pa?chatURI=${encodeText(fields.uri!)}`;
  if (carried !== undefined) url += `&context=${carried}`;
  if (text !== null) url += `&text=${encodeText(text)}`;
  warnings.push(VIBER_BROWSER_WARNING);
  return { channel: 'viber', url, appUrl: url, carrier: 'context', text, warnings };
}

function phoneLink(fields: Fields): ChannelLink {
  if (fields.context !== undefined) {
    throw new ChatmarkError('unsupported_option', 'Only Viber bot links (uri) take "context"', 'context');
  }
  const { digits } = phoneOf(fields, 'Viber');
  const warnings: string[] = [];
  const text = visibleDraft('Viber phone chats', fields.text, fields.ref, warnings);
  // `%2B`, never a raw `+`: mobile clients decode `+` as a space (§3.1, §7).
  let url = `viber://chat?number=%2B${digits}`;
  if (text !== null) url += `&draft=${encodeText(text)}`;
  warnings.push('Viber phone chats carry no attribution to any API: they open a person, not a bot');
  warnings.push(VIBER_BROWSER_WARNING);
  return { channel: 'viber', url, appUrl: url, carrier: 'text', text, warnings };
}
