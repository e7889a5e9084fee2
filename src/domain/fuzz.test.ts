import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { growthRatio } from '../../test/support/growth.js';
import { grown, hostilePatterns, hostileText } from '../../test/support/hostile.js';
import { buildLink, CHANNELS, type LinkRequest } from './channels/index.js';
import { csvCell } from './csv.js';
import { isChatmarkError } from './errors.js';
import { checkNoPersonalData } from './event-rules.js';
import { serializeHttpUrl } from './http-url.js';
import { parsePhone } from './phone.js';
import { createRefCodec, findRefTokens, normalizeRefToken } from './ref-token.js';
import { buildUtm, fixUtm, lintUtm, lintUtmValue, normalizeUtmValue } from './utm.js';

/**
 * Hostile input against the pure parsers and builders (issue 10, 5): arbitrary Unicode with broken
 * surrogates, controls and the syntax each parser looks for, up to 100,000 characters. Each must
 * answer or refuse with a ChatmarkError (never another exception), and its time must grow about
 * linearly: the time for 8n characters over the time for n stays under 40 (quadratic is 64).
 */

/** Runs `f`; a ChatmarkError is a refusal, anything else thrown fails the property. */
function answers<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (error) {
    if (isChatmarkError(error)) return undefined;
    throw error;
  }
}

/** Printable ASCII without spaces: what a `Location` header and a QR code can carry. */
const LINK_TEXT = /^[\x21-\x7e]+$/;
const N = 12_500;
const codec = createRefCodec('fuzz-secret');
/** The fields each channel takes (its builder refuses any other with unsupported_option). */
const FIELDS: Readonly<Record<(typeof CHANNELS)[number], readonly (keyof LinkRequest)[]>> = {
  whatsapp: ['phone', 'country', 'text', 'ref'],
  telegram: ['username', 'phone', 'country', 'shareUrl', 'start', 'text', 'ref'],
  viber: ['uri', 'phone', 'country', 'context', 'text', 'ref'],
  messenger: ['page', 'text', 'ref'],
  instagram: ['username', 'ref'],
  line: ['id', 'text', 'ref'],
  signal: ['phone', 'country', 'text', 'ref'],
  sms: ['phone', 'country', 'platform', 'text', 'ref'],
  email: ['to', 'subject', 'text', 'ref'],
};

/** Plausible values, so that many requests get past the first check and reach the encoders. */
const PLAUSIBLE = [
  '+447911123456',
  'GB',
  'acme_bot',
  'https://shop.example/x?a=1',
  'ana@example.com',
  'WFED-BNKX',
  'ios',
];

/** A request each channel builds a link for: the fuzzed text and ref go on top of it. */
const BASE: Readonly<Record<(typeof CHANNELS)[number], LinkRequest>> = {
  whatsapp: { phone: '+447911123456' },
  telegram: { username: 'acme_bot' },
  viber: { uri: 'acmebot' },
  messenger: { page: 'acmestore' },
  instagram: { username: 'acme.store' },
  line: { id: '@abc1234d' },
  signal: { phone: '+447911123456' },
  sms: { phone: '+15105550101' },
  email: { to: 'sales@example.com' },
};

/** A request for `channel`: some of its fields, each hostile or plausible. */
function requestFor(channel: (typeof CHANNELS)[number]): fc.Arbitrary<LinkRequest> {
  const value = fc.oneof(hostileText(), fc.constantFrom(...PLAUSIBLE));
  return fc.record(Object.fromEntries(FIELDS[channel].map((field) => [field, value])), {
    requiredKeys: [],
  }) as fc.Arbitrary<LinkRequest>;
}

/** The domain functions under test, each taking one text. */
const TEXT_FUNCTIONS: ReadonlyArray<[string, (text: string) => unknown]> = [
  ['buildUtm', (text) => buildUtm(`https://a.example/p?${text}`, { source: text, medium: 'sms' })],
  ['lintUtm', (text) => lintUtm(`https://a.example/?utm_source=${text}&utm_medium=${text}&x=${text}`)],
  ['fixUtm', (text) => fixUtm(`https://a.example/?utm_source=${text}&utm_medium=${text}&utm_source=${text}`)],
  ['lintUtmValue', (text) => lintUtmValue('medium', text)],
  ['normalizeUtmValue', (text) => normalizeUtmValue(text)],
  ['findRefTokens', (text) => findRefTokens(text)],
  ['normalizeRefToken', (text) => normalizeRefToken(text)],
  ['codec.decode', (text) => codec.decode(text)],
  ['parsePhone', (text) => parsePhone(text)],
  ['parsePhone with a country', (text) => parsePhone(text, 'AR')],
  ['serializeHttpUrl', (text) => serializeHttpUrl(`https://a.example/${text}`)],
  ['checkNoPersonalData', (text) => checkNoPersonalData(text, 'x')],
  ['csvCell', (text) => csvCell(text)],
  ['whatsapp link', (text) => buildLink('whatsapp', { phone: '+447911123456', text })],
  ['telegram share link', (text) => buildLink('telegram', { shareUrl: `https://a.example/${text}`, text })],
  ['email link', (text) => buildLink('email', { to: 'ana@example.com', subject: text, text })],
];

describe('fuzz: channel links', () => {
  it.each(CHANNELS)('%s: builds a link of printable ASCII or refuses with a ChatmarkError', (channel) => {
    const check = (fields: LinkRequest): boolean => {
      const link = answers(() => buildLink(channel, fields));
      if (link === undefined) return false;
      expect(link.url).toMatch(LINK_TEXT);
      if (link.appUrl !== null) expect(link.appUrl).toMatch(LINK_TEXT);
      return true;
    };
    fc.assert(
      fc.property(requestFor(channel), (fields) => void check(fields)),
      { numRuns: 300 },
    );
    // Hostile text (and, where it travels, a hostile ref) on a request that is otherwise fine, so
    // most runs reach the encoders instead of stopping at the first check.
    let built = 0;
    const withText = fc.record({
      text: hostileText(200),
      ref: fc.option(fc.oneof(hostileText(), fc.constant('WFED-BNKX')), { nil: undefined }),
    });
    fc.assert(
      fc.property(withText, ({ text, ref }) => {
        const fields = channel === 'instagram' ? { ...BASE[channel], ref } : { ...BASE[channel], text, ref };
        if (check(fields)) built += 1;
      }),
      { numRuns: 300 },
    );
    // The property means something only if a fair share of requests get through to a link.
    expect(built).toBeGreaterThan(15);
  });
});

describe('fuzz: no exception but ChatmarkError, on short and on 100,000-character input', () => {
  it.each(TEXT_FUNCTIONS)('%s', (_name, f) => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        answers(() => f(text));
      }),
      { numRuns: 300 },
    );
    for (const pattern of hostilePatterns()) answers(() => f(grown(pattern, 100_000)));
  });

  it('round-trips every click number through the codec and refuses garbage with undefined', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 35 - 1 }), hostileText(), (number, junk) => {
        expect(codec.decode(codec.encode(number))).toBe(number);
        const decoded = codec.decode(junk);
        expect(decoded === undefined || Number.isInteger(decoded)).toBe(true);
      }),
    );
  });
});

describe('fuzz: time grows linearly (time for 8n / time for n < 40, n = 12,500)', () => {
  it('findRefTokens on a message of thousands of different valid tokens', () => {
    const message = (n: number) => {
      let text = '';
      for (let i = 0; text.length < n; i += 1) text += `ref ${codec.encode(i)} `;
      return text.slice(0, n);
    };
    expect(findRefTokens(message(100)).length).toBeGreaterThan(5);
    expect(growthRatio(message, findRefTokens, N)).toBeLessThan(40);
  });

  it.each(TEXT_FUNCTIONS)('%s', (_name, f) => {
    for (const pattern of hostilePatterns()) {
      const ratio = growthRatio((n) => grown(pattern, n), f, N);
      expect(ratio, `pattern ${JSON.stringify(pattern)}`).toBeLessThan(40);
    }
  });
});
