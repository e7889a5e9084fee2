import { ChatmarkError } from '../errors.js';
import { acceptFields, checkLength, checkRef, requireField } from './common.js';
import type { ChannelLink, LinkRequest } from './types.js';

const FIELDS = ['username', 'ref'] as const;

/** Instagram usernames: letters, digits, `.` and `_`, at most 30. */
const USERNAME = /^[A-Za-z0-9._]{1,30}$/;

/**
 * Instagram: `https://ig.me/m/<username>?ref=<ref>` (spec/channels.md §5). There is no documented
 * text prefill, so `text` is refused.
 *
 * @example buildInstagram({ username: 'acme.store', ref: '7KQ2-M9XH' }).url === 'https://ig.me/m/acme.store?ref=7KQ2-M9XH'
 */
export function buildInstagram(request: LinkRequest): ChannelLink {
  // `text` is taken only to refuse it with the reason, rather than as an unknown field.
  const fields = acceptFields(request, [...FIELDS, 'text'], 'Instagram');
  if (fields.text !== undefined) {
    throw new ChatmarkError('unsupported_option', 'Instagram ig.me links have no text prefill', 'text');
  }
  const input = requireField(fields.username, 'username', 'Instagram');
  const username = input.startsWith('@') ? input.slice(1) : input;
  if (!USERNAME.test(username)) {
    throw new ChatmarkError(
      'invalid_username',
      `"${input}" is not an Instagram username (letters, digits, "." and "_", at most 30)`,
      'username',
    );
  }
  const ref = fields.ref === undefined ? undefined : checkRef(fields.ref);
  const warnings = ['ig.me links work only in the Instagram mobile apps, not on Instagram Web or desktop'];
  if (ref !== undefined) {
    warnings.push('Instagram passes the ref in new threads only when the account has Ice Breakers set');
  }
  // Emit `/m/`: the shorter `ig.me/<username>` appears only in the Instagram-Login docs (§5).
  const url = `https://ig.me/m/${username}`;
  return checkLength({
    channel: 'instagram',
    url: ref === undefined ? url : `${url}?ref=${ref}`,
    appUrl: null,
    carrier: 'ref',
    text: null,
    warnings,
  });
}
