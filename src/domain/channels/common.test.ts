import { describe, expect, it } from 'vitest';
import { ChatmarkError } from '../errors.js';
import {
  acceptFields,
  checkLength,
  codePointLength,
  encodeText,
  exactlyOne,
  isSafeToken,
  URL_MAX_LENGTH,
  URL_WARN_LENGTH,
  withVisibleRef,
} from './common.js';
import type { ChannelLink } from './types.js';

describe('encodeText (spec/channels.md §1.3)', () => {
  it.each([
    ['space is %20, never +', 'hello there', 'hello%20there'],
    ['literal + is %2B', '2+2', '2%2B2'],
    ['& is %26', 'fish & chips', 'fish%20%26%20chips'],
    ['# is %23', 'order #12', 'order%20%2312'],
    ['% is %25', '100%', '100%25'],
    ['= and ? are encoded', 'a=b?', 'a%3Db%3F'],
    ['newline is %0A', 'a\nb', 'a%0Ab'],
    ['emoji are UTF-8 bytes', '👋', '%F0%9F%91%8B'],
    ['Cyrillic', 'Привет', '%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82'],
    ['Arabic', 'مرحبا', '%D9%85%D8%B1%D8%AD%D8%A8%D8%A7'],
    ['a lone high surrogate becomes U+FFFD (toWellFormed)', 'a\uD800b', 'a%EF%BF%BDb'],
    ['a lone low surrogate becomes U+FFFD', '\uDC00', '%EF%BF%BD'],
    ["unreserved marks stay: ! ' ( ) * - . _ ~", "!'()*-._~", "!'()*-._~"],
  ])('%s', (_, text, encoded) => {
    expect(encodeText(text)).toBe(encoded);
  });
});

describe('codePointLength (Telegram counts code points, spec/channels.md §2.1)', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['👋', 1],
    ['👋👋', 2],
    ['Привет', 6],
    ['\uD800', 1],
  ])('%j has %i', (text, length) => {
    expect(codePointLength(text)).toBe(length);
  });
});

describe('isSafeToken (spec/channels.md §0: [A-Za-z0-9_-], ≤ 64)', () => {
  it.each([
    ['7KQ2-M9XH', true],
    ['c_spring26_flyer_K7Q2MX', true],
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
    ['', false],
    ['a b', false],
    ['a+b', false],
    ['a=b', false],
    ['a.b', false],
    ['é', false],
  ])('%j → %s', (token, safe) => {
    expect(isSafeToken(token)).toBe(safe);
  });
});

describe('withVisibleRef (DESIGN.md: `(ref TOKEN)` at the end of the text)', () => {
  it.each([
    ['Hi!', '7KQ2-M9XH', 'Hi! (ref 7KQ2-M9XH)'],
    [undefined, '7KQ2-M9XH', '(ref 7KQ2-M9XH)'],
    ['Hi!\n', '7KQ2-M9XH', 'Hi!\n(ref 7KQ2-M9XH)'],
    ['Hi! ', '7KQ2-M9XH', 'Hi! (ref 7KQ2-M9XH)'],
    ['Hi!', undefined, 'Hi!'],
    ['a\uD800', undefined, 'a\uFFFD'],
    [undefined, undefined, null],
  ])('%j + %j → %j', (text, ref, draft) => {
    expect(withVisibleRef(text, ref)).toBe(draft);
  });
});

describe('acceptFields', () => {
  it('keeps the allowed fields and drops only the empty ones', () => {
    expect(acceptFields({ phone: '+1', text: '', ref: undefined }, ['phone', 'text', 'ref'], 'X')).toEqual({
      phone: '+1',
    });
  });

  it('refuses a field the channel does not take, naming it', () => {
    expect(() => acceptFields({ phone: '+1', start: 'x' }, ['phone'], 'WhatsApp')).toThrowError(
      expect.objectContaining({ code: 'unsupported_option', field: 'start' }),
    );
  });
});

describe('exactlyOne', () => {
  const targets = ['username', 'phone', 'shareUrl'] as const;

  it('returns the one given', () => {
    expect(exactlyOne({ phone: '+1' }, [...targets], 'Telegram')).toBe('phone');
  });

  it.each([
    [{}, 'missing_field', 'username'],
    [{ username: 'a', shareUrl: 'b' }, 'conflicting_options', 'shareUrl'],
  ])('%j → %s on %s', (request, code, field) => {
    expect(() => exactlyOne(request, [...targets], 'Telegram')).toThrowError(
      expect.objectContaining({ code, field }),
    );
  });
});

describe('checkLength (spec/channels.md §1.3: keep links under about 2,000 characters)', () => {
  const linkOf = (length: number): ChannelLink => ({
    channel: 'whatsapp',
    url: `https://wa.me/1?text=${'a'.repeat(length - 21)}`,
    appUrl: null,
    carrier: 'text',
    text: null,
    warnings: [],
  });

  it.each([
    [URL_WARN_LENGTH, 0],
    [URL_WARN_LENGTH + 1, 1],
    [URL_MAX_LENGTH, 1],
  ])('a %i-character link gets %i warning(s)', (length, warnings) => {
    const link = linkOf(length);
    expect(link.url).toHaveLength(length);
    expect(checkLength(link).warnings).toHaveLength(warnings);
  });

  it('refuses a link over 8,192 characters with text_too_long on text', () => {
    expect(() => checkLength(linkOf(URL_MAX_LENGTH + 1))).toThrowError(ChatmarkError);
    expect(() => checkLength(linkOf(URL_MAX_LENGTH + 1))).toThrowError(
      expect.objectContaining({ code: 'text_too_long', field: 'text' }),
    );
  });
});
