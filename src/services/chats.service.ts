import { type ErrorCode, isChatmarkError } from '../domain/errors.js';
import type { Identity } from '../store/contacts.repository.js';
import type { ChatStart } from '../webhooks/types.js';
import type { ShopifyOrder } from '../webhooks/shopify.js';
import { type EventDeps, type EventInput, type RecordedEvent, recordEvent } from './events.service.js';

/** Errors about what a webhook referred to (a click, a code) rather than about the delivery itself. */
const SOFT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'unknown_click',
  'unknown_discount_code',
  'discount_code_used',
  'discount_code_expired',
  'discount_code_not_yet_valid',
]);

/**
 * Records a webhook's event; a reference that doesn't resolve (a ref token of no click, a
 * discount code Chatmark doesn't know or that was used up) is dropped from the event and noted
 * in its properties instead of refusing it. A platform's delivery is never lost over it: a chat
 * without a usable token is recorded as unattributed.
 */
async function recordLeniently(deps: EventDeps, input: EventInput, now: number): Promise<RecordedEvent> {
  try {
    return await recordEvent(deps, input, now);
  } catch (error) {
    if (!isChatmarkError(error) || !SOFT_CODES.has(error.code)) throw error;
    const field = error.field as 'ref' | 'clickId' | 'discountCode' | undefined;
    const dropped = field && input[field] !== undefined ? { [field]: input[field] } : {};
    return recordLeniently(
      deps,
      {
        ...input,
        ...(field ? { [field]: undefined } : {}),
        properties: {
          ...input.properties,
          unresolved: { ...(input.properties?.unresolved as object), ...dropped, reason: error.code },
        },
      },
      now,
    );
  }
}

/** A chat-start webhook's identity: the platform key, with phone numbers only as keyed hashes. */
function identitiesOf(deps: EventDeps, start: ChatStart): Identity[] {
  const out: Identity[] = [];
  const phone = start.contact.phone;
  // A WhatsApp key that *is* the phone number (no BSUID yet) is stored hashed, never in clear.
  if (!(phone && start.contact.key === phone)) out.push({ kind: start.platform, value: start.contact.key });
  if (phone) out.push(deps.identities.phoneDigits(phone));
  return out;
}

/** A platform's chat start → a `chat_started` event linked to click → link → campaign. */
export function recordChatStart(deps: EventDeps, start: ChatStart, now: number): Promise<RecordedEvent> {
  return recordLeniently(
    deps,
    {
      type: 'chat_started',
      occurredAt: start.occurredAt,
      idempotencyKey: `${start.platform}:${start.accountId ?? ''}:${start.deliveryId}`,
      source: `webhook:${start.platform}`,
      identities: identitiesOf(deps, start),
      ref: start.token ?? undefined,
      properties: {
        platform: start.platform,
        ...(start.ref !== null && { ref: start.ref, refSource: start.refSource }),
        ...(start.ad && { ad: start.ad }),
      },
    },
    now,
  );
}

/** A Shopify order → a `purchase` event (its click from `cm_click` on the landing page, its codes). */
export function recordShopifyOrder(
  deps: EventDeps,
  order: ShopifyOrder,
  now: number,
): Promise<RecordedEvent> {
  return recordLeniently(
    deps,
    {
      type: 'purchase',
      occurredAt: order.occurredAt,
      idempotencyKey: `shopify:${order.orderId}`,
      source: 'webhook:shopify',
      contact: {
        email: order.customer.email,
        phone: order.customer.phone ? `+${order.customer.phone}` : undefined,
        externalId: order.customer.externalId ? `shopify:${order.customer.externalId}` : undefined,
      },
      clickId: order.clickToken ?? undefined,
      discountCode: order.discountCodes[0],
      value: order.total,
      properties: {
        orderId: order.orderId,
        ...(order.discountCodes.length > 1 && { discountCodes: order.discountCodes }),
        ...(order.test && { test: true }),
      },
    },
    now,
  );
}
