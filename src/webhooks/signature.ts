import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook authenticity checks. Every platform here signs (or tags) the request so that only it can
 * record chat starts and orders; each check runs in time independent of where a forged value
 * differs, and answers false (never throws) for a missing, malformed or wrong value, so a route can
 * map false to 401/403 without a try.
 *
 * Signatures cover the RAW body bytes as received. A body parsed and serialised again (key order,
 * spacing, `\u00e9` vs `é`) no longer matches: keep the raw buffer (Fastify: a content-type parser
 * with `parseAs: 'buffer'`).
 */

/** The body exactly as received; a string is taken as its UTF-8 bytes. */
export type RawBody = string | Uint8Array;

const SHA256_BYTES = 32;
const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;
const BASE64_DIGEST = /^[A-Za-z0-9+/]{43}=$/;
const HUB_PREFIX = 'sha256=';

/**
 * HMAC-SHA256 of the raw body.
 *
 * @example hmacSha256('secret', '{}').toString('hex').length === 64
 */
export function hmacSha256(secret: string | Uint8Array, rawBody: RawBody): Buffer {
  return createHmac('sha256', secret).update(rawBody).digest();
}

/**
 * Meta's `X-Hub-Signature-256: sha256=<hex>` (WhatsApp Cloud API, Messenger, Instagram), HMAC of
 * the raw body with the app secret (spec/channels.md §4.2).
 *
 * @example verifyHubSignature(raw, request.headers['x-hub-signature-256'], config.metaAppSecret)
 */
export function verifyHubSignature(rawBody: RawBody, header: unknown, appSecret: string): boolean {
  if (typeof header !== 'string' || !header.startsWith(HUB_PREFIX)) return false;
  return matchesDigest(rawBody, appSecret, hexDigest(header.slice(HUB_PREFIX.length)));
}

/**
 * Viber's `X-Viber-Content-Signature: <hex>`, HMAC of the raw body keyed by the bot's auth token
 * (spec/channels.md §3.2).
 *
 * @example verifyViberSignature(raw, request.headers['x-viber-content-signature'], config.viberToken)
 */
export function verifyViberSignature(rawBody: RawBody, header: unknown, authToken: string): boolean {
  return typeof header === 'string' && matchesDigest(rawBody, authToken, hexDigest(header));
}

/**
 * Shopify's `X-Shopify-Hmac-Sha256: <base64>`, HMAC of the raw body with the app's client secret.
 *
 * @example verifyShopifyHmac(raw, request.headers['x-shopify-hmac-sha256'], config.shopifySecret)
 */
export function verifyShopifyHmac(rawBody: RawBody, header: unknown, secret: string): boolean {
  return typeof header === 'string' && matchesDigest(rawBody, secret, base64Digest(header));
}

/**
 * A shared secret sent back verbatim: Telegram's `X-Telegram-Bot-Api-Secret-Token`, which carries
 * the `secret_token` given to setWebhook (spec/channels.md §2.4). Both sides are hashed first so the
 * comparison is constant-time even when the lengths differ (timingSafeEqual needs equal lengths,
 * and an early length check would leak the secret's length).
 *
 * @example secretTokenMatches(request.headers['x-telegram-bot-api-secret-token'], config.telegramSecret)
 */
export function secretTokenMatches(received: unknown, expected: string): boolean {
  if (typeof received !== 'string' || expected === '') return false;
  const a = createHash('sha256').update(received).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** An empty secret is refused: anyone can compute an HMAC with an empty key. */
function matchesDigest(rawBody: RawBody, secret: string, provided: Buffer | undefined): boolean {
  if (provided === undefined || secret === '') return false;
  return timingSafeEqual(hmacSha256(secret, rawBody), provided);
}

function hexDigest(value: string): Buffer | undefined {
  return HEX_DIGEST.test(value) ? Buffer.from(value, 'hex') : undefined;
}

/** Strict: Buffer.from(…, 'base64') skips characters it does not know, which would accept junk. */
function base64Digest(value: string): Buffer | undefined {
  if (!BASE64_DIGEST.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === SHA256_BYTES ? bytes : undefined;
}
