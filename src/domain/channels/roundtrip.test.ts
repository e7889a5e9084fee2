import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLink } from './index.js';
import type { Channel, ChannelLink, LinkRequest } from './types.js';

// spec/channels.md §1.3, §6.4: whatever the person types must come back out of the link unchanged
// (after toWellFormed, and with CRLF line breaks for email), whatever the script or emoji.

/** One code point anywhere in Unicode, a lone surrogate, or a character URLs treat specially. */
const unit = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom(' ', '+', '&', '#', '%', '=', '?', '\n', '\r\n', '\r', '👋', 'Я', 'م', '@'),
);
const anyText = fc.string({ unit, minLength: 1, maxLength: 80 });
const token = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);

/** What may appear in an encoded query value: encodeURIComponent's output alphabet. */
const ENCODED = /^[A-Za-z0-9\-_.!~*'()%]*$/;

/** The encoded text segment of a built link: `text=`, `draft=`, `body=`, or LINE's bare `?…`. */
function encodedText(link: ChannelLink): string | undefined {
  if (link.channel === 'line') return link.url.split('?')[1];
  return /[?&](?:text|draft|body)=([^&]*)/.exec(link.url)?.[1];
}

function crlf(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '\r\n');
}

/** The draft the recipient should see: the well-formed text, CRLF for email, then the visible ref. */
function expectedDraft(channel: Channel, text: string, ref?: string): string {
  let draft = text.toWellFormed();
  if (ref !== undefined) draft += /\s$/u.test(draft) ? `(ref ${ref})` : ` (ref ${ref})`;
  return channel === 'email' ? crlf(draft) : draft;
}

const UK = '+447911123456';

// [label, channel, request without text/ref, where the ref goes]
const TEXT_FORMS: [string, Channel, LinkRequest, 'visible' | 'hidden' | 'refused'][] = [
  ['whatsapp', 'whatsapp', { phone: UK }, 'visible'],
  ['telegram username draft', 'telegram', { username: 'acme_support' }, 'visible'],
  ['telegram bot draft', 'telegram', { username: 'acme_support_bot' }, 'refused'],
  ['telegram phone', 'telegram', { phone: UK }, 'visible'],
  ['telegram share', 'telegram', { shareUrl: 'https://acme.example/offer?a=1&b=2' }, 'visible'],
  ['viber bot', 'viber', { uri: 'acmebot' }, 'hidden'],
  ['viber phone chat', 'viber', { phone: UK }, 'visible'],
  ['messenger', 'messenger', { page: 'acmestore' }, 'hidden'],
  ['line', 'line', { id: '@abc1234d' }, 'visible'],
  ['sms', 'sms', { phone: '+15105550101' }, 'visible'],
  ['sms ios', 'sms', { phone: '+15105550101', platform: 'ios' }, 'visible'],
  ['email', 'email', { to: 'sales@example.com', subject: 'Hi' }, 'visible'],
];

describe('text round trip over arbitrary Unicode, lone surrogates included (property)', () => {
  it.each(TEXT_FORMS)('%s: decoding the link gives the text back', (_, channel, base) => {
    fc.assert(
      fc.property(anyText, (text) => {
        const link = buildLink(channel, { ...base, text });
        const encoded = encodedText(link);
        expect(encoded).toBeDefined();
        expect(encoded).toMatch(ENCODED);
        expect(link.text).toBe(expectedDraft(channel, text));
        expect(decodeURIComponent(encoded!)).toBe(link.text);
      }),
    );
  });

  const visible = TEXT_FORMS.filter(([, , , ref]) => ref === 'visible');
  it.each(visible)('%s: a ref travels visibly at the end of the text', (_, channel, base) => {
    fc.assert(
      fc.property(fc.option(anyText, { nil: undefined }), token, (text, ref) => {
        const link = buildLink(channel, { ...base, text, ref });
        expect(link.carrier).toBe('text');
        expect(link.text).toBe(text === undefined ? `(ref ${ref})` : expectedDraft(channel, text, ref));
        expect(decodeURIComponent(encodedText(link)!)).toBe(link.text);
        expect(link.warnings.some((warning) => warning.includes('visible'))).toBe(true);
      }),
    );
  });

  const hidden = TEXT_FORMS.filter(([, , , ref]) => ref === 'hidden');
  it.each(hidden)('%s: a ref travels hidden and leaves the text alone', (_, channel, base) => {
    fc.assert(
      fc.property(anyText, token, (text, ref) => {
        const link = buildLink(channel, { ...base, text, ref });
        const carrier = channel === 'viber' ? 'context' : 'ref';
        expect(link.carrier).toBe(carrier);
        expect(new RegExp(`[?&]${carrier}=${ref}(&|$)`).test(link.url)).toBe(true);
        expect(link.text).toBe(text.toWellFormed());
        expect(decodeURIComponent(encodedText(link)!)).toBe(link.text);
      }),
    );
  });
});

describe('the share url survives too (spec/channels.md §2.1)', () => {
  it('decodes back to the URL given', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (shareUrl) => {
        const link = buildLink('telegram', { shareUrl });
        const encoded = /[?&]url=([^&]*)/.exec(link.url)?.[1];
        expect(encoded).toMatch(ENCODED);
        expect(decodeURIComponent(encoded!)).toBe(shareUrl);
      }),
    );
  });
});

describe('hidden carriers take any safe token verbatim (spec/channels.md §0)', () => {
  it.each([
    ['telegram', { username: 'acme_support_bot' }, 'start'],
    ['messenger', { page: 'acmestore' }, 'ref'],
    ['instagram', { username: 'acmestore' }, 'ref'],
    ['viber', { uri: 'acmebot' }, 'context'],
  ] as const)('%s → %s', (channel, base, carrier) => {
    fc.assert(
      fc.property(
        token.filter((ref) => !ref.startsWith('_tgr_')),
        (ref) => {
          const link = buildLink(channel, { ...base, ref });
          expect(link.carrier).toBe(carrier);
          expect(link.url.endsWith(`${carrier}=${ref}`)).toBe(true);
          expect(link.text).toBeNull();
        },
      ),
    );
  });
});
