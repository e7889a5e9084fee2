import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadWebhookFixtures } from '../../test/fixtures/webhooks/load.js';
import {
  hmacSha256,
  secretTokenMatches,
  verifyHubSignature,
  verifyShopifyHmac,
  verifyViberSignature,
} from './signature.js';

const APP_SECRET = 'meta-app-secret-0123456789';
const VIBER_TOKEN = '445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9';
const SHOPIFY_SECRET = 'shpss_0123456789abcdef0123456789abcdef';

// The raw bodies as a platform would send them: the fixtures serialised once, never re-serialised.
const rawOf = (prefix: string): string => JSON.stringify(loadWebhookFixtures(prefix)[0]!.body);
const whatsappRaw = rawOf('whatsapp-text-token');
const viberRaw = rawOf('viber-conversation-started-spec');
const shopifyRaw = rawOf('shopify-order-usd');

const hmac = (secret: string, body: string, encoding: 'hex' | 'base64'): string =>
  createHmac('sha256', secret).update(body).digest(encoding);
const hubHeader = `sha256=${hmac(APP_SECRET, whatsappRaw, 'hex')}`;
const viberHeader = hmac(VIBER_TOKEN, viberRaw, 'hex');
const shopifyHeader = hmac(SHOPIFY_SECRET, shopifyRaw, 'base64');

/** The body with one character changed, as a tampering proxy would. */
const tamper = (body: string): string =>
  body.replace('7KQ2', '7KQ3').replace('c_K7', 'c_K8').replace('19.99', '19.98');
const flipLastHexDigit = (hex: string): string => hex.slice(0, -1) + (hex.endsWith('0') ? '1' : '0');

describe('hmacSha256', () => {
  it('is HMAC-SHA256 of the raw body, the same for a string and its UTF-8 bytes', () => {
    expect(hmacSha256(APP_SECRET, whatsappRaw).toString('hex')).toBe(hmac(APP_SECRET, whatsappRaw, 'hex'));
    expect(
      hmacSha256(APP_SECRET, Buffer.from(whatsappRaw, 'utf8')).equals(hmacSha256(APP_SECRET, whatsappRaw)),
    ).toBe(true);
  });
});

describe('verifyHubSignature: X-Hub-Signature-256 (spec/channels.md §4.2, WhatsApp §1.6)', () => {
  it('accepts the signature of the raw body, as a string or as bytes', () => {
    expect(verifyHubSignature(whatsappRaw, hubHeader, APP_SECRET)).toBe(true);
    expect(verifyHubSignature(Buffer.from(whatsappRaw), hubHeader, APP_SECRET)).toBe(true);
    expect(verifyHubSignature(new Uint8Array(Buffer.from(whatsappRaw)), hubHeader, APP_SECRET)).toBe(true);
  });

  it('accepts upper-case hex digits', () => {
    expect(verifyHubSignature(whatsappRaw, `sha256=${hubHeader.slice(7).toUpperCase()}`, APP_SECRET)).toBe(
      true,
    );
  });

  it('fails for the same JSON serialised again with other spacing (signatures cover raw bytes)', () => {
    const reserialised = JSON.stringify(JSON.parse(whatsappRaw), null, 2);
    expect(verifyHubSignature(reserialised, hubHeader, APP_SECRET)).toBe(false);
  });

  it.each([
    { case: 'tampered body', body: tamper(whatsappRaw), header: hubHeader, secret: APP_SECRET },
    { case: 'wrong secret', body: whatsappRaw, header: hubHeader, secret: 'another-secret' },
    { case: 'empty secret', body: whatsappRaw, header: `sha256=${hmac('', whatsappRaw, 'hex')}`, secret: '' },
    { case: 'header missing', body: whatsappRaw, header: undefined, secret: APP_SECRET },
    { case: 'header null', body: whatsappRaw, header: null, secret: APP_SECRET },
    {
      case: 'header repeated (array)',
      body: whatsappRaw,
      header: [hubHeader, hubHeader],
      secret: APP_SECRET,
    },
    { case: 'no sha256= prefix', body: whatsappRaw, header: hubHeader.slice(7), secret: APP_SECRET },
    { case: 'sha1= prefix', body: whatsappRaw, header: `sha1=${hubHeader.slice(7)}`, secret: APP_SECRET },
    { case: 'prefix only', body: whatsappRaw, header: 'sha256=', secret: APP_SECRET },
    { case: 'one digit flipped', body: whatsappRaw, header: flipLastHexDigit(hubHeader), secret: APP_SECRET },
    { case: 'truncated', body: whatsappRaw, header: hubHeader.slice(0, -2), secret: APP_SECRET },
    { case: 'one digit too many', body: whatsappRaw, header: `${hubHeader}0`, secret: APP_SECRET },
    { case: 'not hex', body: whatsappRaw, header: `sha256=${'z'.repeat(64)}`, secret: APP_SECRET },
    {
      case: 'base64 instead of hex',
      body: whatsappRaw,
      header: `sha256=${hmac(APP_SECRET, whatsappRaw, 'base64')}`,
      secret: APP_SECRET,
    },
    { case: 'surrounding space', body: whatsappRaw, header: ` ${hubHeader}`, secret: APP_SECRET },
  ])('refuses: $case', ({ body, header, secret }) => {
    expect(verifyHubSignature(body, header, secret)).toBe(false);
  });
});

describe('verifyViberSignature: X-Viber-Content-Signature (spec/channels.md §3.2)', () => {
  it('accepts plain hex HMAC of the raw body keyed by the bot auth token', () => {
    expect(verifyViberSignature(viberRaw, viberHeader, VIBER_TOKEN)).toBe(true);
    expect(verifyViberSignature(Buffer.from(viberRaw), viberHeader, VIBER_TOKEN)).toBe(true);
  });

  it.each([
    { case: 'tampered body', body: tamper(viberRaw), header: viberHeader, token: VIBER_TOKEN },
    { case: 'wrong token', body: viberRaw, header: viberHeader, token: 'another-token' },
    { case: 'empty token', body: viberRaw, header: hmac('', viberRaw, 'hex'), token: '' },
    { case: 'header missing', body: viberRaw, header: undefined, token: VIBER_TOKEN },
    {
      case: 'Meta-style sha256= prefix',
      body: viberRaw,
      header: `sha256=${viberHeader}`,
      token: VIBER_TOKEN,
    },
    { case: 'one digit flipped', body: viberRaw, header: flipLastHexDigit(viberHeader), token: VIBER_TOKEN },
    { case: 'truncated', body: viberRaw, header: viberHeader.slice(0, 40), token: VIBER_TOKEN },
    { case: 'empty header', body: viberRaw, header: '', token: VIBER_TOKEN },
    { case: 'number header', body: viberRaw, header: 42, token: VIBER_TOKEN },
  ])('refuses: $case', ({ body, header, token }) => {
    expect(verifyViberSignature(body, header, token)).toBe(false);
  });
});

describe('verifyShopifyHmac: X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body)', () => {
  it('accepts the base64 HMAC of the raw body', () => {
    expect(verifyShopifyHmac(shopifyRaw, shopifyHeader, SHOPIFY_SECRET)).toBe(true);
    expect(verifyShopifyHmac(Buffer.from(shopifyRaw), shopifyHeader, SHOPIFY_SECRET)).toBe(true);
  });

  it.each([
    { case: 'tampered body', body: tamper(shopifyRaw), header: shopifyHeader, secret: SHOPIFY_SECRET },
    { case: 'wrong secret', body: shopifyRaw, header: shopifyHeader, secret: 'shpss_other' },
    { case: 'empty secret', body: shopifyRaw, header: hmac('', shopifyRaw, 'base64'), secret: '' },
    { case: 'header missing', body: shopifyRaw, header: undefined, secret: SHOPIFY_SECRET },
    {
      case: 'hex instead of base64',
      body: shopifyRaw,
      header: hmac(SHOPIFY_SECRET, shopifyRaw, 'hex'),
      secret: SHOPIFY_SECRET,
    },
    {
      case: 'padding dropped',
      body: shopifyRaw,
      header: shopifyHeader.replace(/=$/, ''),
      secret: SHOPIFY_SECRET,
    },
    {
      case: 'junk characters Buffer.from would skip',
      body: shopifyRaw,
      header: `${shopifyHeader.slice(0, 20)}!${shopifyHeader.slice(21)}`,
      secret: SHOPIFY_SECRET,
    },
    {
      case: 'base64url characters - and _',
      body: shopifyRaw,
      header: `-_${shopifyHeader.slice(2)}`,
      secret: SHOPIFY_SECRET,
    },
    { case: 'truncated', body: shopifyRaw, header: shopifyHeader.slice(4), secret: SHOPIFY_SECRET },
  ])('refuses: $case', ({ body, header, secret }) => {
    expect(verifyShopifyHmac(body, header, secret)).toBe(false);
  });
});

describe('secretTokenMatches: X-Telegram-Bot-Api-Secret-Token (spec/channels.md §2.4)', () => {
  const secret = 'tg_Secret-123';
  it('accepts the exact secret', () => {
    expect(secretTokenMatches(secret, secret)).toBe(true);
  });

  it.each([
    { case: 'different', received: 'tg_Secret-124' },
    { case: 'prefix of the secret', received: 'tg_Secret' },
    { case: 'secret plus more', received: `${secret}x` },
    { case: 'other case', received: secret.toUpperCase() },
    { case: 'empty', received: '' },
    { case: 'missing', received: undefined },
    { case: 'repeated header (array)', received: [secret] },
  ])('refuses: $case', ({ received }) => {
    expect(secretTokenMatches(received, secret)).toBe(false);
  });

  it('refuses everything when no secret is configured', () => {
    expect(secretTokenMatches('', '')).toBe(false);
  });
});

describe('never throws', () => {
  it('answers a boolean for any header value and any secret', () => {
    fc.assert(
      fc.property(fc.anything(), fc.string(), fc.string(), (header, body, secret) => {
        for (const verify of [verifyHubSignature, verifyViberSignature, verifyShopifyHmac]) {
          expect(typeof verify(body, header, secret)).toBe('boolean');
        }
        expect(typeof secretTokenMatches(header, secret)).toBe('boolean');
      }),
    );
  });
});
