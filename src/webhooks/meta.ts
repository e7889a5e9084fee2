import { stableDeliveryId } from './delivery-id.js';
import { asArray, asId, asRecord, asText, compact, flexibleEpochMs, type JsonRecord } from './fields.js';
import { verifyHubChallenge } from './hub-challenge.js';
import { carriedRef } from './ref.js';
import type { AdReferral, ChatPlatform, ChatStart, ChatStartBatch } from './types.js';

/**
 * The Messenger/Instagram subscription handshake: the same `hub.*` GET as WhatsApp's. See
 * verifyHubChallenge.
 *
 * @example verifyMetaChallenge(request.query, config.metaVerifyToken) // '1158201444'
 */
export function verifyMetaChallenge(query: unknown, verifyToken: string): string {
  return verifyHubChallenge(query, verifyToken);
}

/** A Map, not an object literal: `object: 'toString'` must not find Object.prototype's function. */
const PLATFORMS: ReadonlyMap<unknown, ChatPlatform> = new Map([
  ['page', 'messenger'],
  ['instagram', 'instagram'],
]);

/** `changes[]` fields that carry a messaging event as their `value` (Meta's newer sample shape). */
const EVENT_FIELDS = new Set(['messaging_postbacks', 'messaging_referral', 'messaging_referrals']);

/**
 * Chat starts in a Messenger (`object: 'page'`, spec/channels.md §4.2) or Instagram
 * (`object: 'instagram'`, §5) webhook. Each event in `entry[].messaging[]` (and `standby[]`, the
 * copy a secondary app receives under the handover protocol: the ref still names the click) is a
 * start when it carries a referral:
 *
 * - `postback.referral` — a new thread (Get Started / ice breaker tap): `reentry: false`;
 * - `referral` alone — `messaging_referrals`, an existing thread: `reentry: true`;
 * - `referral` on a message (`message.referral`, or beside `message`) — a message sent from an
 *   ad or link: `reentry: false`, as the event does not say.
 *
 * The key is `referral.ref` (raw, plus its canonical token); `source` is opaque and only kept for
 * ads (`SHORTLINK`, `SHORTLINKS`, `SHORT-URL`, `IGME-SOURCE-LINK` all parse the same). The contact
 * key is `sender.id` (PSID / IGSID). An ad referral (`ad_id`, `ads_context_data`, `source: ADS`)
 * becomes `ad`. `deliveryId` is `postback.mid` or `message.mid`, else a stable hash of (sender,
 * timestamp, ref): `messaging_referrals` events carry no id. Messages without a referral, echoes,
 * reads and deliveries count as ignored.
 *
 * @example parseMeta(body).starts[0]?.ref // 'c_K7Q2MXr9'
 */
export function parseMeta(body: unknown): ChatStartBatch {
  const root = asRecord(body);
  const platform = PLATFORMS.get(root?.object);
  if (platform === undefined || !Array.isArray(root?.entry)) return { starts: [], ignored: 1 };

  const starts: ChatStart[] = [];
  let ignored = 0;
  for (const entryItem of root.entry) {
    const entry = asRecord(entryItem);
    if (entry === undefined) {
      ignored += 1;
      continue;
    }
    const events: unknown[] = [...asArray(entry.messaging), ...asArray(entry.standby)];
    for (const changeItem of asArray(entry.changes)) {
      const change = asRecord(changeItem);
      if (typeof change?.field === 'string' && EVENT_FIELDS.has(change.field)) events.push(change.value);
      else ignored += 1;
    }
    if (events.length === 0 && asArray(entry.changes).length === 0) ignored += 1;
    const entryId = asId(entry.id);
    for (const event of events) {
      const start = eventStart(platform, asRecord(event), entryId);
      if (start === undefined) ignored += 1;
      else starts.push(start);
    }
  }
  return { starts, ignored };
}

function eventStart(
  platform: ChatPlatform,
  event: JsonRecord | undefined,
  entryId: string | undefined,
): ChatStart | undefined {
  if (event === undefined) return undefined;
  const postback = asRecord(event.postback);
  const message = asRecord(event.message);
  const postbackReferral = asRecord(postback?.referral);
  const eventReferral = asRecord(event.referral);
  const referral = postbackReferral ?? eventReferral ?? asRecord(message?.referral);
  if (referral === undefined || message?.is_echo === true) return undefined;

  const sender = asRecord(event.sender);
  const userRef = asText(sender?.user_ref);
  const key = asId(sender?.id) ?? (userRef === undefined ? undefined : `user_ref:${userRef}`);
  const occurredAt = flexibleEpochMs(event.timestamp);
  if (key === undefined || occurredAt === undefined) return undefined;

  const ref = carriedRef(asText(referral.ref), 'ref');
  const ad = adOf(referral);
  return {
    platform,
    deliveryId: asText(postback?.mid) ?? asText(message?.mid) ?? stableDeliveryId([key, occurredAt, ref.ref]),
    occurredAt,
    accountId: asId(asRecord(event.recipient)?.id) ?? entryId ?? null,
    contact: { key },
    ...ref,
    // Only a referral on its own is the messaging_referrals event, which Meta sends for threads
    // that already exist; on a postback or a message the event does not say.
    reentry: postbackReferral === undefined && eventReferral !== undefined && message === undefined,
    ...(ad === undefined ? {} : { ad }),
  };
}

/** Ad referrals (spec/channels.md §4.2 table, "Ad (Click-to-Messenger)"). */
function adOf(referral: JsonRecord): AdReferral | undefined {
  const context = asRecord(referral.ads_context_data);
  const adId = asId(referral.ad_id);
  const source = asText(referral.source);
  if (adId === undefined && context === undefined && source !== 'ADS') return undefined;
  return compact({
    adId,
    source,
    headline: asText(context?.ad_title),
    imageUrl: asText(context?.photo_url),
    videoUrl: asText(context?.video_url),
    postId: asId(context?.post_id),
    productId: asId(context?.product_id),
    flowId: asId(context?.flow_id),
  });
}
