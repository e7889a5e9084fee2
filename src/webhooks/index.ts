/**
 * Webhook adapters: pure functions from a platform's request (raw body, headers, query) to
 * Chatmark facts. No HTTP framework and no store here: a route verifies with signature.ts, parses
 * with the platform's parser, answers 200 whatever was ignored, and records the starts.
 */
export { stableDeliveryId } from './delivery-id.js';
export { verifyHubChallenge } from './hub-challenge.js';
export { parseMeta, verifyMetaChallenge } from './meta.js';
export { currencyExponent, toMinorUnits } from './minor-units.js';
export { type CarriedRef, carriedRef, textRef } from './ref.js';
export type { Money, ShopifyCustomer, ShopifyOrder } from './shopify.js';
export { parseShopifyOrder, unpricedShopifyOrder } from './shopify.js';
export {
  hmacSha256,
  type RawBody,
  secretTokenMatches,
  verifyHubSignature,
  verifyShopifyHmac,
  verifyViberSignature,
} from './signature.js';
export { parseTelegram } from './telegram.js';
export type { AdReferral, ChatContact, ChatPlatform, ChatStart, ChatStartBatch, RefSource } from './types.js';
export { parseViber, readViberJson } from './viber.js';
export { parseWhatsApp, verifyWhatsAppChallenge } from './whatsapp.js';
