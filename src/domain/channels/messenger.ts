import { ChatmarkError } from '../errors.js';
import { acceptFields, checkLength, checkRef, encodeText, requireField } from './common.js';
import type { ChannelLink, LinkRequest } from './types.js';

const FIELDS = ['page', 'text', 'ref'] as const;

/** A Page handle (letters, digits, `.`, `-`, `_`) or a numeric Page id (spec/channels.md §4.1). */
const PAGE = /^[A-Za-z0-9._-]+$/;

/**
 * Messenger: `https://m.me/<page>?ref=<ref>&text=…` (spec/channels.md §4.1). `ref` is the hidden
 * carrier, passed to the webhook as `referral.ref` (§4.2).
 *
 * @example buildMessenger({ page: 'acmestore', ref: '7KQ2-M9XH' }).url === 'https://m.me/acmestore?ref=7KQ2-M9XH'
 */
export function buildMessenger(request: LinkRequest): ChannelLink {
  const fields = acceptFields(request, FIELDS, 'Messenger');
  const page = requireField(fields.page, 'page', 'Messenger');
  if (!PAGE.test(page)) {
    throw new ChatmarkError(
      'invalid_page',
      `"${page}" is not a Messenger Page name (letters, digits, ".", "-", "_") or id`,
      'page',
    );
  }
  const ref = fields.ref === undefined ? undefined : checkRef(fields.ref);
  const text = fields.text?.toWellFormed() ?? null;
  const query: string[] = [];
  const warnings: string[] = [];
  if (ref !== undefined) {
    query.push(`ref=${ref}`);
    warnings.push('Messenger passes the ref in new threads only when the Page has a Get Started button');
  }
  if (text !== null) query.push(`text=${encodeText(text)}`);
  if (ref !== undefined && text !== null) {
    warnings.push('Delivery of a ref and a prefilled text together on m.me is untested (spec §10 q3)');
  }
  return checkLength({
    channel: 'messenger',
    url: query.length === 0 ? `https://m.me/${page}` : `https://m.me/${page}?${query.join('&')}`,
    appUrl: null,
    carrier: 'ref',
    text,
    warnings,
  });
}
