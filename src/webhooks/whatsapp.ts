import { asArray, asId, asRecord, asText, compact, type JsonRecord, secondsToMs } from './fields.js';
import { verifyHubChallenge } from './hub-challenge.js';
import { textRef } from './ref.js';
import type { AdReferral, ChatContact, ChatStart, ChatStartBatch } from './types.js';

/**
 * The WhatsApp Cloud API subscription handshake (`GET` with `hub.mode`, `hub.verify_token`,
 * `hub.challenge`): the challenge to echo, or ChatmarkError `invalid_verify_token`. See
 * verifyHubChallenge.
 *
 * @example verifyWhatsAppChallenge(request.query, config.whatsappVerifyToken) // '1158201444'
 */
export function verifyWhatsAppChallenge(query: unknown, verifyToken: string): string {
  return verifyHubChallenge(query, verifyToken);
}

/** Platform notices inside `messages[]` (a user changed number), not something the user sent. */
const NOT_FROM_USER: ReadonlySet<unknown> = new Set(['system']);
const PHONE_DIGITS = /^\d{1,15}$/;

/**
 * Chat-start candidates in a WhatsApp Cloud API webhook (spec/channels.md §1.6). WhatsApp has no
 * "chat opened" event for `wa.me` links, so every inbound user message is a candidate and the
 * caller keeps the first per contact and campaign. The token is searched in what the user sent
 * (`text.body`, template `button` replies, `interactive` replies, media captions; §1.5.1);
 * `request_welcome` (a first open with welcome messages enabled) is a start with no ref; a
 * Click-to-WhatsApp `referral` becomes `ad` (§1.5.2). Delivery statuses, `system` notices and
 * other change fields are counted in `ignored`.
 *
 * The contact key is the BSUID when present: `from_user_id ?? contacts[].user_id ?? from` (§1.6,
 * "2026 change"); `phone` is `from` (or `wa_id`) when it is digits.
 *
 * @example parseWhatsApp(body).starts[0]?.token // '7KQ2M9X1' for "… (ref 7KQ2-M9X1)"
 */
export function parseWhatsApp(body: unknown): ChatStartBatch {
  const root = asRecord(body);
  if (root?.object !== 'whatsapp_business_account' || !Array.isArray(root.entry)) {
    return { starts: [], ignored: 1 };
  }
  const starts: ChatStart[] = [];
  let ignored = 0;
  for (const entryItem of root.entry) {
    const changes = asRecord(entryItem)?.changes;
    if (!Array.isArray(changes)) {
      ignored += 1;
      continue;
    }
    for (const changeItem of changes) {
      const change = asRecord(changeItem);
      const value = asRecord(change?.value);
      if (change?.field !== 'messages' || value === undefined) {
        ignored += 1;
        continue;
      }
      const accountId = asId(asRecord(value.metadata)?.phone_number_id) ?? null;
      const contacts = asArray(value.contacts).flatMap((c) => {
        const record = asRecord(c);
        return record === undefined ? [] : [record];
      });
      const messages = asArray(value.messages);
      const statuses = asArray(value.statuses);
      ignored += statuses.length;
      // A change with neither (an `errors`-only notice) is still one thing looked at.
      if (messages.length === 0 && statuses.length === 0) ignored += 1;
      for (const messageItem of messages) {
        const start = messageStart(asRecord(messageItem), contacts, accountId);
        if (start === undefined) ignored += 1;
        else starts.push(start);
      }
    }
  }
  return { starts, ignored };
}

function messageStart(
  message: JsonRecord | undefined,
  contacts: readonly JsonRecord[],
  accountId: string | null,
): ChatStart | undefined {
  if (message === undefined || NOT_FROM_USER.has(message.type)) return undefined;
  const deliveryId = asText(message.id);
  const occurredAt = secondsToMs(message.timestamp);
  if (deliveryId === undefined || occurredAt === undefined) return undefined;

  const contact = senderOf(message, contacts);
  if (contact === undefined) return undefined;
  const ad = adOf(message.referral);
  return {
    platform: 'whatsapp',
    deliveryId,
    occurredAt,
    accountId,
    contact,
    ...textRef(textsOf(message)),
    reentry: false,
    ...(ad === undefined ? {} : { ad }),
  };
}

function senderOf(message: JsonRecord, contacts: readonly JsonRecord[]): ChatContact | undefined {
  const from = asText(message.from);
  const fromUserId = asText(message.from_user_id);
  const entry = contactOf(contacts, from, fromUserId);
  const waId = asText(entry?.wa_id);
  const key = fromUserId ?? asText(entry?.user_id) ?? from ?? waId;
  if (key === undefined) return undefined;
  const phone = [from, waId].find((value) => value !== undefined && PHONE_DIGITS.test(value));
  const profile = asRecord(entry?.profile);
  return compact({
    key,
    phone,
    name: asText(profile?.name),
    username: asText(profile?.username),
  });
}

/**
 * The `contacts[]` entry of the sender: matched by BSUID or phone; a lone entry that contradicts
 * neither is the sender too (one message per webhook is the common case, with `contacts[0]`).
 */
function contactOf(
  contacts: readonly JsonRecord[],
  from: string | undefined,
  fromUserId: string | undefined,
): JsonRecord | undefined {
  const matched = contacts.find(
    (c) => (fromUserId !== undefined && c.user_id === fromUserId) || (from !== undefined && c.wa_id === from),
  );
  if (matched !== undefined || contacts.length !== 1) return matched;
  const only = contacts[0]!;
  const contradicts =
    (fromUserId !== undefined && asText(only.user_id) !== undefined && only.user_id !== fromUserId) ||
    (from !== undefined && asText(only.wa_id) !== undefined && only.wa_id !== from);
  return contradicts ? undefined : only;
}

/** What the user sent or tapped, best first: typed text, then replies, then captions. */
function textsOf(message: JsonRecord): string[] {
  const interactive = asRecord(message.interactive);
  const buttonReply = asRecord(interactive?.button_reply);
  const listReply = asRecord(interactive?.list_reply);
  const button = asRecord(message.button);
  const candidates = [
    asRecord(message.text)?.body,
    button?.text,
    button?.payload,
    buttonReply?.title,
    buttonReply?.id,
    listReply?.title,
    listReply?.description,
    listReply?.id,
    ...['image', 'video', 'document'].map((kind) => asRecord(message[kind])?.caption),
  ];
  return candidates.flatMap((value) => asText(value) ?? []);
}

/** Click-to-WhatsApp `referral` (spec/channels.md §1.5.2). */
function adOf(value: unknown): AdReferral | undefined {
  const referral = asRecord(value);
  if (referral === undefined) return undefined;
  return compact({
    adId: asId(referral.source_id),
    sourceType: asText(referral.source_type),
    sourceUrl: asText(referral.source_url),
    ctwaClid: asText(referral.ctwa_clid),
    headline: asText(referral.headline),
    body: asText(referral.body),
    mediaType: asText(referral.media_type),
    imageUrl: asText(referral.image_url),
    videoUrl: asText(referral.video_url),
    thumbnailUrl: asText(referral.thumbnail_url),
    welcomeText: asText(asRecord(referral.welcome_message)?.text),
  });
}
