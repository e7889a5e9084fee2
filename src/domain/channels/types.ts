/** The messaging apps Chatmark builds links for (spec/channels.md §1–§6). */
export const CHANNELS = [
  'whatsapp',
  'telegram',
  'viber',
  'messenger',
  'instagram',
  'line',
  'signal',
  'sms',
  'email',
] as const;
export type Channel = (typeof CHANNELS)[number];

/** Where a per-click ref token travels into the chat. `text` means visibly, inside the draft. */
export type RefCarrier = 'text' | 'start' | 'ref' | 'context' | 'none';

export const SMS_PLATFORMS = ['ios', 'android', 'generic'] as const;
export type SmsPlatform = (typeof SMS_PLATFORMS)[number];

/**
 * What a person asks for, with the same field names in the CLI flags (`--share-url` → `shareUrl`)
 * and in the HTTP API's `target`. A field the channel does not take is refused with
 * `unsupported_option`, never silently dropped.
 */
export interface LinkRequest {
  phone?: string | undefined;
  /** ISO 3166 default country for `phone` written in national format. */
  country?: string | undefined;
  username?: string | undefined;
  /** Telegram bot `start` payload. */
  start?: string | undefined;
  /** Telegram share link: the URL to share. */
  shareUrl?: string | undefined;
  /** Viber bot chat URI. */
  uri?: string | undefined;
  /** Viber bot `context`. */
  context?: string | undefined;
  /** Messenger Page name or id. */
  page?: string | undefined;
  /** LINE Official Account id, `@abc1234d`. */
  id?: string | undefined;
  /** Email recipient. */
  to?: string | undefined;
  subject?: string | undefined;
  platform?: SmsPlatform | undefined;
  /** Prefilled text (draft) as the person will see it before sending. */
  text?: string | undefined;
  /** Per-click ref token; goes into the channel's carrier (see `RefCarrier`). */
  ref?: string | undefined;
}

export interface ChannelLink {
  channel: Channel;
  /** The https form where one exists; otherwise the only form (`viber://`, `sms:`, `mailto:`). */
  url: string;
  /** The app-scheme form where one exists (`whatsapp://`, `tg://`, `viber://`, `sgnl://`). */
  appUrl: string | null;
  carrier: RefCarrier;
  /** The prefilled text exactly as the recipient will see it (with a visible ref when added), or null. */
  text: string | null;
  warnings: string[];
}

export type ChannelBuilder = (request: LinkRequest) => ChannelLink;
