import { ChatmarkError } from '../errors.js';
import { serializeHttpUrl } from '../http-url.js';
import {
  acceptFields,
  checkLength,
  checkRef,
  checkSafeToken,
  codePointLength,
  encodeText,
  exactlyOne,
  phoneOf,
  refuseStrayCountry,
  visibleDraft,
} from './common.js';
import type { ChannelLink, LinkRequest } from './types.js';

const FIELDS = ['username', 'phone', 'country', 'shareUrl', 'start', 'text', 'ref'] as const;

/** TDLib truncates draft text at 4,096 UTF-8 code points (spec/channels.md §2.1). */
export const TELEGRAM_DRAFT_MAX = 4_096;

/** TDLib `is_valid_username` (spec/channels.md §2.1): a letter, then letters, digits, `_`. */
const USERNAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
/** Settable usernames are at least 5 characters (TDLib `is_allowed_username`). */
const USERNAME_MIN = 5;
/** Payloads with this prefix open a Star affiliate referral, not a bot start (spec/channels.md §2.3). */
const RESERVED_START_PREFIX = '_tgr_';

/**
 * Telegram links (spec/channels.md §2.1–§2.3), one form per target:
 * - `username`: `t.me/<u>?start=<p>` for bots (the ref's hidden carrier), `t.me/<u>?text=` drafts;
 * - `phone`: `t.me/+<digits>?text=` (ref visible in the draft);
 * - `shareUrl`: `t.me/share/url?url=&text=` (ref visible in the text).
 *
 * @example buildTelegram({ username: 'acme_bot', ref: '7KQ2-M9XH' }).url === 'https://t.me/acme_bot?start=7KQ2-M9XH'
 */
export function buildTelegram(request: LinkRequest): ChannelLink {
  const fields = acceptFields(request, FIELDS, 'Telegram');
  const target = exactlyOne(fields, ['username', 'phone', 'shareUrl'], 'Telegram');
  refuseStrayCountry(fields, 'Telegram');
  if (target !== 'username' && fields.start !== undefined) {
    throw new ChatmarkError('unsupported_option', 'Only bot links (username) take "start"', 'start');
  }
  if (target === 'username') return checkLength(usernameLink(fields));
  if (target === 'phone') return checkLength(phoneLink(fields));
  return checkLength(shareLink(fields));
}

type Fields = Pick<LinkRequest, (typeof FIELDS)[number]>;

function usernameLink(fields: Fields): ChannelLink {
  const username = checkUsername(fields.username!);
  // Only bots receive `start`, and BotFather requires bot usernames to end in "bot" (§2.1).
  const isBot = /bot$/i.test(username);
  if (!isBot) {
    if (fields.start !== undefined) {
      throw new ChatmarkError(
        'unsupported_option',
        `"start" only reaches bots, whose usernames end in "bot"; "${username}" is not one`,
        'start',
      );
    }
    return draftLink(
      `https://t.me/${username}`,
      `tg://resolve?domain=${username}`,
      'Telegram links to people and channels',
      fields,
    );
  }
  const start = fields.start === undefined ? undefined : checkStart(fields.start, 'start');
  const payload = fields.ref === undefined ? start : checkStart(checkRef(fields.ref), 'ref');
  if (payload === undefined) {
    return draftLink(
      `https://t.me/${username}`,
      `tg://resolve?domain=${username}`,
      'Telegram',
      fields,
      'start',
    );
  }
  if (fields.text !== undefined) {
    throw new ChatmarkError(
      'unsupported_option',
      'A bot link with a start payload (or a ref) cannot prefill text: the Start button replaces the input bar',
      'text',
    );
  }
  const warnings: string[] = [];
  if (start !== undefined && fields.ref !== undefined && start !== fields.ref) {
    warnings.push(`The ref replaces the start payload "${start}" you set`);
  }
  return {
    channel: 'telegram',
    url: `https://t.me/${username}?start=${payload}`,
    appUrl: `tg://resolve?domain=${username}&start=${payload}`,
    carrier: 'start',
    text: null,
    warnings,
  };
}

function phoneLink(fields: Fields): ChannelLink {
  const { digits } = phoneOf(fields, 'Telegram');
  const link = draftLink(
    `https://t.me/+${digits}`,
    // No `+` in the query: TDLib decodes it as a space (§2.1).
    `tg://resolve?phone=${digits}`,
    'Telegram phone links',
    fields,
  );
  link.warnings.push("Telegram phone links open only if the person's phone-number privacy settings allow it");
  return link;
}

function shareLink(fields: Fields): ChannelLink {
  const shareUrl = checkShareUrl(fields.shareUrl!);
  const warnings: string[] = [];
  const text = checkDraft(visibleDraft('Telegram share links', fields.text, fields.ref, warnings));
  const query = `url=${encodeText(shareUrl)}${text === null ? '' : `&text=${encodeText(text)}`}`;
  return {
    channel: 'telegram',
    // t.me/share/url, not bare t.me/share: current TDLib parses only the former (§2.1).
    url: `https://t.me/share/url?${query}`,
    appUrl: `tg://msg_url?${query}`,
    carrier: 'text',
    text,
    warnings,
  };
}

/** A `?text=` draft link; the ref, if any, is appended visibly. */
function draftLink(
  url: string,
  appUrl: string,
  what: string,
  fields: Fields,
  carrier: 'text' | 'start' = 'text',
): ChannelLink {
  const warnings: string[] = [];
  const text = checkDraft(visibleDraft(what, fields.text, fields.ref, warnings));
  if (text?.startsWith('@'))
    warnings.push('Telegram clients put a space before draft text that starts with "@"');
  const query = text === null ? '' : `text=${encodeText(text)}`;
  return {
    channel: 'telegram',
    url: query === '' ? url : `${url}?${query}`,
    appUrl: query === '' ? appUrl : `${appUrl}&${query}`,
    carrier,
    text,
    warnings,
  };
}

function checkDraft(text: string | null): string | null {
  if (text !== null && codePointLength(text) > TELEGRAM_DRAFT_MAX) {
    throw new ChatmarkError(
      'text_too_long',
      `Telegram cuts draft text at ${TELEGRAM_DRAFT_MAX} characters (code points); this one has ${codePointLength(text)}`,
      'text',
    );
  }
  return text;
}

/** Accepts `@name` or `name`; enforces TDLib's rules plus the 5-character minimum (§2.1). */
function checkUsername(input: string): string {
  const username = input.startsWith('@') ? input.slice(1) : input;
  const valid =
    USERNAME.test(username) &&
    !username.endsWith('_') &&
    !username.includes('__') &&
    username.length >= USERNAME_MIN;
  if (!valid) {
    throw new ChatmarkError(
      'invalid_username',
      `"${input}" is not a Telegram username: 5–32 characters, a letter first, then letters, digits or single "_", not ending in "_"`,
      'username',
    );
  }
  return username;
}

function checkStart(payload: string, field: 'start' | 'ref'): string {
  const code = field === 'start' ? 'invalid_start_payload' : 'invalid_ref';
  checkSafeToken(payload, field, code, 'A Telegram start payload');
  if (payload.startsWith(RESERVED_START_PREFIX)) {
    throw new ChatmarkError(
      code,
      `A start payload must not begin with "${RESERVED_START_PREFIX}": Telegram reads it as an affiliate referral`,
      field,
    );
  }
  return payload;
}

/** Checks the shared URL as it will be stored (serialised); the link carries the text as given, encoded. */
function checkShareUrl(input: string): string {
  serializeHttpUrl(input, 'shareUrl');
  return input;
}
