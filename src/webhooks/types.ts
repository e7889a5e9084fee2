import type { Channel } from '../domain/channels/types.js';

/** The platforms whose webhooks report chat starts (spec/channels.md §0). */
export type ChatPlatform = Extract<Channel, 'whatsapp' | 'telegram' | 'viber' | 'messenger' | 'instagram'>;

/**
 * Where the ref came from: `text` a token found in a WhatsApp message (§1.5.1), `start` Telegram's
 * `/start` payload (§2.4), `ref` a Messenger/Instagram referral (§4.2, §5), `context` Viber's
 * `conversation_started` context (§3.2).
 */
export type RefSource = 'text' | 'start' | 'ref' | 'context';

/** The person on the other side, as the platform identifies them. */
export interface ChatContact {
  /**
   * The stable per-platform key to attribute by: WhatsApp BSUID, else phone (§1.6), Messenger PSID
   * (§4.2), Instagram IGSID (§5), Telegram user id (§2.4), Viber user id (§3.2). A Messenger guest
   * without a PSID is keyed `user_ref:<user_ref>` so the two id spaces never meet.
   */
  key: string;
  /** Digits only (E.164 without `+`), WhatsApp only; absent when the user hides it (§1.6 BSUIDs). */
  phone?: string;
  /** Display name as the platform gives it. */
  name?: string;
  /** WhatsApp `profile.username`, Telegram `username`. */
  username?: string;
}

/**
 * What an ad told the platform about the click (spec/channels.md §1.5.2 for Click-to-WhatsApp,
 * §4.2 for Messenger/Instagram ads). Names are camel-cased platform fields; each says its source.
 */
export interface AdReferral {
  /** WhatsApp `source_id`, Meta `ad_id`: the ad's id. */
  adId?: string;
  /** WhatsApp `source_type` (`ad`, `post`). */
  sourceType?: string;
  /** WhatsApp `source_url`. */
  sourceUrl?: string;
  /** Meta referral `source` (`ADS`, …); opaque, never used as a key (§4.2). */
  source?: string;
  /** WhatsApp `ctwa_clid`: the click id for the Conversions API; absent for WhatsApp Status ads. */
  ctwaClid?: string;
  /** WhatsApp `headline`, Meta `ads_context_data.ad_title`. */
  headline?: string;
  /** WhatsApp `body`: the ad's primary text. */
  body?: string;
  /** WhatsApp `media_type` (`image`, `video`). */
  mediaType?: string;
  /** WhatsApp `image_url`, Meta `ads_context_data.photo_url`. */
  imageUrl?: string;
  /** WhatsApp `video_url`, Meta `ads_context_data.video_url`. */
  videoUrl?: string;
  /** WhatsApp `thumbnail_url`. */
  thumbnailUrl?: string;
  /** WhatsApp `welcome_message.text`. */
  welcomeText?: string;
  /** Meta `ads_context_data.post_id`. */
  postId?: string;
  /** Meta `ads_context_data.product_id`. */
  productId?: string;
  /** Meta `ads_context_data.flow_id`. */
  flowId?: string;
}

/**
 * One chat start (or candidate) reported by a platform webhook. Pure data: the caller decides
 * from its store whether it is the contact's first chat for the campaign (DESIGN.md "The funnel":
 * a re-entry is not a new chat), and records it as unattributed when `token` is null.
 */
export interface ChatStart {
  platform: ChatPlatform;
  /**
   * The platform's id for this delivery (WhatsApp/Messenger message id, Telegram `update_id`,
   * Viber `message_token`), or a stable hash where the platform sends none. The same delivery sent
   * twice gives the same id; dedupe on (platform, accountId, deliveryId).
   */
  deliveryId: string;
  /** When the platform says it happened, epoch ms. */
  occurredAt: number;
  /**
   * The business side that received it: WhatsApp `metadata.phone_number_id`, Messenger Page id,
   * Instagram account id. Null where the payload does not say (Telegram, Viber: one bot per URL).
   */
  accountId: string | null;
  contact: ChatContact;
  /**
   * The raw carrier value (`start` payload, `ref`, `context`) exactly as given, or for WhatsApp the
   * canonical token found in the text. Null when none arrived.
   */
  ref: string | null;
  /** The canonical Chatmark ref token (8 characters) when `ref` is one; otherwise null. */
  token: string | null;
  /** Null exactly when `ref` is null. */
  refSource: RefSource | null;
  /**
   * True when the platform itself says the thread already existed (Messenger/Instagram
   * `messaging_referrals`, Viber `subscribed: true`). False means "not known to be a re-entry".
   */
  reentry: boolean;
  /** Present when the chat came from an ad (Click-to-WhatsApp `referral`, Meta `ad_id`). */
  ad?: AdReferral;
}

/**
 * A parsed webhook body. `ignored` counts the items looked at that gave no chat start (delivery
 * statuses, other event types, other fields, items of unknown shape; a whole body of unknown
 * shape counts 1), for logs and metrics: the route answers 200 either way, because platforms
 * retry anything else.
 */
export interface ChatStartBatch {
  starts: ChatStart[];
  ignored: number;
}
