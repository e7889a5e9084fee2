import { describe, expect, it } from 'vitest';
import { ChatmarkError } from '../errors.js';
import { buildLink } from './index.js';
import type { Channel, LinkRequest, SmsPlatform } from './types.js';

/** Runs `build` and returns what it threw; fails the test when it does not throw a ChatmarkError. */
function thrown(build: () => unknown): ChatmarkError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ChatmarkError);
    return error as ChatmarkError;
  }
  return expect.unreachable('expected a ChatmarkError');
}

const UK = '+447911123456';
const notAPlatform: string = 'windows';

// [what, channel, request, code, field]
const CASES: [string, Channel, LinkRequest, string, string][] = [
  // Phones (spec/channels.md §7) and fields every channel refuses.
  ['whatsapp without phone', 'whatsapp', {}, 'missing_field', 'phone'],
  [
    'whatsapp: phone not possible for US (§7)',
    'whatsapp',
    { phone: '123', country: 'US' },
    'invalid_phone',
    'phone',
  ],
  [
    'whatsapp: unknown country',
    'whatsapp',
    { phone: '415 555 2671', country: 'XX' },
    'invalid_country',
    'country',
  ],
  [
    'whatsapp: national number without a country',
    'whatsapp',
    { phone: '0049 30 123456' },
    'invalid_phone',
    'phone',
  ],
  ['whatsapp takes no start', 'whatsapp', { phone: UK, start: 'abc' }, 'unsupported_option', 'start'],
  [
    'whatsapp takes no platform',
    'whatsapp',
    { phone: UK, platform: 'ios' },
    'unsupported_option',
    'platform',
  ],
  ['whatsapp takes no subject', 'whatsapp', { phone: UK, subject: 'Hi' }, 'unsupported_option', 'subject'],
  [
    'whatsapp takes no username',
    'whatsapp',
    { phone: UK, username: 'acme_bot' },
    'unsupported_option',
    'username',
  ],
  // The per-click ref must be in the §0 alphabet everywhere.
  ['whatsapp: ref with a space', 'whatsapp', { phone: UK, ref: '7KQ2 M9XH' }, 'invalid_ref', 'ref'],
  ['whatsapp: ref with a +', 'whatsapp', { phone: UK, ref: '7KQ2+M9XH' }, 'invalid_ref', 'ref'],
  ['whatsapp: ref over 64', 'whatsapp', { phone: UK, ref: 'A'.repeat(65) }, 'invalid_ref', 'ref'],
  [
    'whatsapp: url over 8,192 characters',
    'whatsapp',
    { phone: UK, text: 'a'.repeat(8_200) },
    'text_too_long',
    'text',
  ],
  [
    'whatsapp: url over 8,192 after encoding',
    'whatsapp',
    { phone: UK, text: '👋'.repeat(700) },
    'text_too_long',
    'text',
  ],

  // Telegram (§2.1–§2.3).
  ['telegram without a target', 'telegram', { text: 'Hi' }, 'missing_field', 'username'],
  [
    'telegram: username and phone',
    'telegram',
    { username: 'acme_bot', phone: UK },
    'conflicting_options',
    'phone',
  ],
  [
    'telegram: phone and shareUrl',
    'telegram',
    { phone: UK, shareUrl: 'https://acme.example' },
    'conflicting_options',
    'shareUrl',
  ],
  ['telegram: username under 5 (§2.1)', 'telegram', { username: 'acme' }, 'invalid_username', 'username'],
  [
    'telegram: username over 32',
    'telegram',
    { username: `a${'b'.repeat(32)}` },
    'invalid_username',
    'username',
  ],
  [
    'telegram: username starting with a digit',
    'telegram',
    { username: '1acme_bot' },
    'invalid_username',
    'username',
  ],
  ['telegram: username with __', 'telegram', { username: 'acme__bot' }, 'invalid_username', 'username'],
  ['telegram: username ending in _', 'telegram', { username: 'acme_bot_' }, 'invalid_username', 'username'],
  ['telegram: username with -', 'telegram', { username: 'acme-bot' }, 'invalid_username', 'username'],
  [
    'telegram: start with a space',
    'telegram',
    { username: 'acme_bot', start: 'a b' },
    'invalid_start_payload',
    'start',
  ],
  [
    'telegram: start with =',
    'telegram',
    { username: 'acme_bot', start: 'YQ==' },
    'invalid_start_payload',
    'start',
  ],
  [
    'telegram: start over 64',
    'telegram',
    { username: 'acme_bot', start: 'a'.repeat(65) },
    'invalid_start_payload',
    'start',
  ],
  [
    'telegram: start with the _tgr_ prefix (§2.3)',
    'telegram',
    { username: 'acme_bot', start: '_tgr_abc' },
    'invalid_start_payload',
    'start',
  ],
  [
    'telegram: ref with the _tgr_ prefix',
    'telegram',
    { username: 'acme_bot', ref: '_tgr_abc' },
    'invalid_ref',
    'ref',
  ],
  [
    'telegram: start and text (§2.2 Start button replaces the input bar)',
    'telegram',
    { username: 'acme_bot', start: 'abc', text: 'Hi' },
    'unsupported_option',
    'text',
  ],
  [
    'telegram: ref (start) and text on a bot',
    'telegram',
    { username: 'acme_bot', ref: 'WFED-BNKX', text: 'Hi' },
    'unsupported_option',
    'text',
  ],
  [
    'telegram: start on a username that is not a bot (§2.1)',
    'telegram',
    { username: 'acme_support', start: 'abc' },
    'unsupported_option',
    'start',
  ],
  ['telegram: start on a phone link', 'telegram', { phone: UK, start: 'abc' }, 'unsupported_option', 'start'],
  [
    'telegram takes no platform',
    'telegram',
    { username: 'acme_bot', platform: 'ios' },
    'unsupported_option',
    'platform',
  ],
  [
    'telegram takes no context',
    'telegram',
    { username: 'acme_bot', context: 'abc' },
    'unsupported_option',
    'context',
  ],
  [
    'telegram: country without phone',
    'telegram',
    { username: 'acme_bot', country: 'AR' },
    'unsupported_option',
    'country',
  ],
  ['telegram: ftp share url', 'telegram', { shareUrl: 'ftp://acme.example/x' }, 'invalid_url', 'shareUrl'],
  ['telegram: share url that is no URL', 'telegram', { shareUrl: 'acme offer' }, 'invalid_url', 'shareUrl'],
  [
    'telegram: javascript: share url',
    'telegram',
    { shareUrl: 'javascript:alert(1)' },
    'invalid_url',
    'shareUrl',
  ],
  [
    'telegram: draft over 4,096 code points (§2.1)',
    'telegram',
    { phone: UK, text: 'a'.repeat(4_097) },
    'text_too_long',
    'text',
  ],
  [
    'telegram: draft plus visible ref over 4,096 code points',
    'telegram',
    { username: 'acme_support', text: 'a'.repeat(4_090), ref: 'WFED-BNKX' },
    'text_too_long',
    'text',
  ],

  // Viber (§3.1).
  ['viber without a target', 'viber', { text: 'Hi' }, 'missing_field', 'uri'],
  ['viber: uri and phone', 'viber', { uri: 'acmebot', phone: UK }, 'conflicting_options', 'phone'],
  ['viber: context with a space', 'viber', { uri: 'acmebot', context: 'a b' }, 'invalid_context', 'context'],
  [
    'viber: context over 64',
    'viber',
    { uri: 'acmebot', context: 'c'.repeat(65) },
    'invalid_context',
    'context',
  ],
  ['viber: context on a phone chat', 'viber', { phone: UK, context: 'abc' }, 'unsupported_option', 'context'],
  ['viber: bad ref', 'viber', { uri: 'acmebot', ref: 'a&b' }, 'invalid_ref', 'ref'],
  ['viber takes no start', 'viber', { uri: 'acmebot', start: 'abc' }, 'unsupported_option', 'start'],
  ['viber: impossible phone', 'viber', { phone: '123', country: 'US' }, 'invalid_phone', 'phone'],
  [
    'viber: country without phone',
    'viber',
    { uri: 'acmebot', country: 'UA' },
    'unsupported_option',
    'country',
  ],

  // Messenger (§4.1).
  ['messenger without page', 'messenger', { ref: 'WFED-BNKX' }, 'missing_field', 'page'],
  ['messenger: page with a space', 'messenger', { page: 'acme store' }, 'invalid_page', 'page'],
  ['messenger: page with a slash', 'messenger', { page: 'acme/store' }, 'invalid_page', 'page'],
  [
    'messenger: ref with = (outside the §0 alphabet)',
    'messenger',
    { page: 'acmestore', ref: 'a=b' },
    'invalid_ref',
    'ref',
  ],
  ['messenger takes no phone', 'messenger', { page: 'acmestore', phone: UK }, 'unsupported_option', 'phone'],
  [
    'messenger takes no start',
    'messenger',
    { page: 'acmestore', start: 'abc' },
    'unsupported_option',
    'start',
  ],

  // Instagram (§5).
  [
    'instagram has no text prefill',
    'instagram',
    { username: 'acmestore', text: 'Hi' },
    'unsupported_option',
    'text',
  ],
  ['instagram without username', 'instagram', { ref: 'WFED-BNKX' }, 'missing_field', 'username'],
  ['instagram: username with -', 'instagram', { username: 'acme-store' }, 'invalid_username', 'username'],
  ['instagram: username over 30', 'instagram', { username: 'a'.repeat(31) }, 'invalid_username', 'username'],
  ['instagram: bad ref', 'instagram', { username: 'acmestore', ref: 'a b' }, 'invalid_ref', 'ref'],
  [
    'instagram takes no page',
    'instagram',
    { username: 'acmestore', page: 'acme' },
    'unsupported_option',
    'page',
  ],

  // LINE (§6.1).
  ['line without id', 'line', { text: 'Hi' }, 'missing_field', 'id'],
  ['line: uppercase id', 'line', { id: '@ABC1234D' }, 'invalid_line_id', 'id'],
  ['line: id with a space', 'line', { id: '@abc 1234' }, 'invalid_line_id', 'id'],
  ['line: only @', 'line', { id: '@' }, 'invalid_line_id', 'id'],
  ['line takes no phone', 'line', { id: '@abc1234d', phone: UK }, 'unsupported_option', 'phone'],

  // Signal (§6.2).
  ['signal without phone', 'signal', {}, 'missing_field', 'phone'],
  ['signal: impossible phone', 'signal', { phone: '123', country: 'US' }, 'invalid_phone', 'phone'],
  ['signal takes no start', 'signal', { phone: UK, start: 'abc' }, 'unsupported_option', 'start'],
  ['signal: bad ref is still refused', 'signal', { phone: UK, ref: 'a b' }, 'invalid_ref', 'ref'],

  // SMS (§6.3).
  ['sms without phone', 'sms', { text: 'Hi' }, 'missing_field', 'phone'],
  ['sms takes no subject', 'sms', { phone: UK, subject: 'Hi' }, 'unsupported_option', 'subject'],
  [
    'sms: unknown platform',
    'sms',
    { phone: UK, platform: notAPlatform as SmsPlatform },
    'invalid_platform',
    'platform',
  ],
  ['sms: bad ref', 'sms', { phone: UK, ref: 'a#b' }, 'invalid_ref', 'ref'],

  // Email (§6.4).
  ['email without to', 'email', { subject: 'Hi' }, 'missing_field', 'to'],
  ['email: no @', 'email', { to: 'sales.example.com' }, 'invalid_email', 'to'],
  ['email: one-label domain', 'email', { to: 'sales@example' }, 'invalid_email', 'to'],
  ['email: empty local part', 'email', { to: '@example.com' }, 'invalid_email', 'to'],
  ['email: two @', 'email', { to: 'sales@@example.com' }, 'invalid_email', 'to'],
  ['email: space', 'email', { to: 'sa les@example.com' }, 'invalid_email', 'to'],
  ['email: double dot', 'email', { to: 'sa..les@example.com' }, 'invalid_email', 'to'],
  [
    'email: subject with a line break',
    'email',
    { to: 'sales@example.com', subject: 'a\nb' },
    'invalid_subject',
    'subject',
  ],
  ['email takes no phone', 'email', { to: 'sales@example.com', phone: UK }, 'unsupported_option', 'phone'],
  [
    'email takes no platform',
    'email',
    { to: 'sales@example.com', platform: 'ios' },
    'unsupported_option',
    'platform',
  ],
];

describe('channel link errors: code and field (spec/channels.md §0–§7)', () => {
  it.each(CASES)('%s → %s on %s', (_, channel, request, code, field) => {
    const error = thrown(() => buildLink(channel, request));
    expect({ code: error.code, field: error.field }).toEqual({ code, field });
    expect(error.message).not.toBe('');
  });

  it('refuses a field that LinkRequest does not know, naming it', () => {
    const request = { phone: UK, utm_source: 'x' };
    const error = thrown(() => buildLink('whatsapp', request));
    expect({ code: error.code, field: error.field }).toEqual({
      code: 'unsupported_option',
      field: 'utm_source',
    });
  });

  it('refuses a value that is not a string (requests arrive as JSON)', () => {
    const request: Record<string, unknown> = { phone: UK, text: 42 };
    const error = thrown(() => buildLink('whatsapp', request as LinkRequest));
    expect({ code: error.code, field: error.field }).toEqual({ code: 'invalid_option', field: 'text' });
  });

  it('refuses an unknown channel', () => {
    const name: string = 'fax';
    const error = thrown(() => buildLink(name as Channel, { phone: UK }));
    expect({ code: error.code, field: error.field }).toEqual({ code: 'invalid_channel', field: 'channel' });
  });

  it('treats empty strings as not given (forms send every field)', () => {
    expect(buildLink('whatsapp', { phone: UK, start: '', text: '', ref: '', country: '' }).url).toBe(
      'https://wa.me/447911123456',
    );
    expect(thrown(() => buildLink('whatsapp', { phone: '' })).code).toBe('missing_field');
  });

  it('treats null as not given (JSON clients send null for unset)', () => {
    const request: Record<string, unknown> = { phone: UK, start: null, text: null };
    expect(buildLink('whatsapp', request as LinkRequest).url).toBe('https://wa.me/447911123456');
    const instagram: Record<string, unknown> = { username: 'acmestore', text: null };
    expect(buildLink('instagram', instagram as LinkRequest).url).toBe('https://ig.me/m/acmestore');
  });
});
