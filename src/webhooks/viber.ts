import { stableDeliveryId } from './delivery-id.js';
import { asId, asRecord, asText, asWholeNumber, compact } from './fields.js';
import { carriedRef } from './ref.js';
import type { ChatStartBatch } from './types.js';

/**
 * Viber's `message_token` is a 64-bit integer sent as a bare JSON number (spec/channels.md §3.2:
 * `4912661846655238145`), beyond what a JS number holds exactly, so JSON.parse would round it and
 * two deliveries could share an id. Quoting it first keeps every digit. The pattern can only match
 * a key: inside a JSON string every `"` is escaped, so `"message_token":` cannot appear there.
 */
const MESSAGE_TOKEN_NUMBER = /("message_token"\s*:\s*)(-?\d+)/g;

/**
 * Parses a raw Viber callback body, keeping `message_token` exact (as a string). Undefined when
 * the body is not JSON.
 *
 * @example (readViberJson('{"message_token":4912661846655238145}') as { message_token: string }).message_token === '4912661846655238145'
 */
export function readViberJson(rawBody: string | Uint8Array): unknown {
  const text = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  try {
    return JSON.parse(text.replace(MESSAGE_TOKEN_NUMBER, '$1"$2"'));
  } catch {
    return undefined;
  }
}

/**
 * The chat start in one Viber REST bot callback (spec/channels.md §3.2): `event ===
 * 'conversation_started'`, keyed by `user.id`, with `context` (present only when the deep link had
 * `&context=`) as the ref. Every other event (`message`, `subscribed`, `delivered`, `seen`,
 * `webhook`, …) counts as ignored; later `message` callbacks do not repeat the context.
 *
 * Pass the raw body (string or bytes) to keep `message_token`, the delivery id, exact; an already
 * parsed body works too, with the token rounded past 2^53 as JSON.parse left it. `reentry` is true
 * when Viber says the user is already `subscribed` (they have written to the bot before).
 *
 * @example parseViber(rawBody).starts[0]?.deliveryId === '4912661846655238145'
 */
export function parseViber(body: unknown): ChatStartBatch {
  const parsed = typeof body === 'string' || body instanceof Uint8Array ? readViberJson(body) : body;
  const root = asRecord(parsed);
  const user = asRecord(root?.user);
  const key = asText(user?.id);
  const occurredAt = asWholeNumber(root?.timestamp);
  if (root?.event !== 'conversation_started' || key === undefined || occurredAt === undefined) {
    return { starts: [], ignored: 1 };
  }
  const context = asText(root.context);
  return {
    starts: [
      {
        platform: 'viber',
        deliveryId: asId(root.message_token) ?? stableDeliveryId([key, occurredAt, context ?? null]),
        occurredAt,
        accountId: null,
        contact: compact({ key, name: asText(user?.name) }),
        ...carriedRef(context, 'context'),
        reentry: root.subscribed === true,
      },
    ],
    ignored: 0,
  };
}
