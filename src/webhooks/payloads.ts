import { hmacSha256, type RawBody } from './signature.js';

/**
 * Webhook bodies as the platforms post them, built in one place: `chatmark demo` plays its chats
 * through them and the tests post them, so what the demo sends is what the parsers are tested on.
 * Field shapes follow spec/channels.md (§1.6 WhatsApp, §2.4 Telegram, §4 Messenger/Instagram).
 */

/** Meta's `X-Hub-Signature-256` value for a body (WhatsApp Cloud API, Messenger, Instagram). */
export function hubSignature(body: RawBody, appSecret: string): string {
  return `sha256=${hmacSha256(appSecret, body).toString('hex')}`;
}

/** A WhatsApp Cloud API webhook (spec/channels.md §1.6 envelope) around the given `value` fields. */
export function whatsappEnvelope(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/**
 * spec/channels.md §1.6: a WhatsApp Cloud API webhook carrying one text message from `from`
 * (digits), as the platform posts it.
 *
 * @example whatsappTextMessage("Hi! I'd like the offer (ref 7KQ2-M9AB)", 'wamid.1', '447911123456')
 */
export function whatsappTextMessage(
  text: string,
  id: string,
  from = '447911123456',
  name = 'Sheena Nelson',
  timestamp = '1763900000',
) {
  return whatsappEnvelope({
    contacts: [{ profile: { name }, wa_id: from }],
    messages: [{ from, id, timestamp, type: 'text', text: { body: text } }],
  });
}

/**
 * spec/channels.md §2.4: a Telegram Bot API update, `/start <payload>` in a private chat with the bot.
 *
 * @example telegramStartUpdate({ payload: '7KQ2-M9AB', updateId: 1001 })
 */
export function telegramStartUpdate(start: {
  payload: string;
  updateId: number;
  userId?: number;
  firstName?: string;
  /** Unix seconds. */
  date?: number;
  messageId?: number;
}) {
  const userId = start.userId ?? 123456789;
  return {
    update_id: start.updateId,
    message: {
      message_id: start.messageId ?? start.updateId,
      from: { id: userId, is_bot: false, first_name: start.firstName ?? 'Ana' },
      chat: { id: userId, type: 'private' },
      date: start.date ?? 1763900000,
      text: `/start ${start.payload}`,
      entities: [{ offset: 0, length: 6, type: 'bot_command' }],
    },
  };
}

/**
 * spec/channels.md §4: a new Messenger (or Instagram) thread opened from a short link (`m.me/…?ref=`):
 * the Get Started postback whose `referral.ref` carries the token.
 *
 * @example messengerReferralPostback({ ref: '7KQ2-M9AB', psid: 'PSID-1' })
 */
export function messengerReferralPostback(thread: {
  ref: string;
  psid: string;
  pageId?: string;
  /** Epoch milliseconds. */
  time?: number;
  /** The postback's message id, when the platform sends one. */
  mid?: string;
  object?: 'page' | 'instagram';
}) {
  const pageId = thread.pageId ?? '1234';
  const time = thread.time ?? 1763900000000;
  return {
    object: thread.object ?? 'page',
    entry: [
      {
        id: pageId,
        time,
        messaging: [
          {
            sender: { id: thread.psid },
            recipient: { id: pageId },
            timestamp: time,
            postback: {
              title: 'Get Started',
              payload: 'GET_STARTED',
              ...(thread.mid !== undefined && { mid: thread.mid }),
              referral: { ref: thread.ref, source: 'SHORTLINK', type: 'OPEN_THREAD' },
            },
          },
        ],
      },
    ],
  };
}
