import { ChatmarkError } from '../errors.js';
import { buildEmail } from './email.js';
import { buildInstagram } from './instagram.js';
import { buildLine } from './line.js';
import { buildMessenger } from './messenger.js';
import { buildSignal } from './signal.js';
import { buildSms } from './sms.js';
import { buildTelegram } from './telegram.js';
import { CHANNELS, type Channel, type ChannelBuilder, type ChannelLink, type LinkRequest } from './types.js';
import { buildViber } from './viber.js';
import { buildWhatsApp } from './whatsapp.js';

export type { Channel, ChannelBuilder, ChannelLink, LinkRequest, RefCarrier, SmsPlatform } from './types.js';
export { CHANNELS, SMS_PLATFORMS } from './types.js';

/** One builder per app (spec/channels.md §1–§6). */
export const BUILDERS: Readonly<Record<Channel, ChannelBuilder>> = Object.freeze({
  whatsapp: buildWhatsApp,
  telegram: buildTelegram,
  viber: buildViber,
  messenger: buildMessenger,
  instagram: buildInstagram,
  line: buildLine,
  signal: buildSignal,
  sms: buildSms,
  email: buildEmail,
});

/**
 * True for the channel names Chatmark builds links for.
 *
 * @example isChannel('whatsapp') === true; isChannel('snapchat') === false
 */
export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

/**
 * Builds the chat link of `channel` for `request`, with the ref in the channel's carrier. Throws a
 * ChatmarkError (stable `code`, `field`) for input it refuses; never drops a field silently.
 *
 * @example
 * buildLink('whatsapp', { phone: '+447911123456', text: 'Hi!', ref: '7KQ2-M9XH' }).url
 *   === 'https://wa.me/447911123456?text=Hi!%20(ref%207KQ2-M9XH)'
 */
export function buildLink(channel: Channel, request: LinkRequest): ChannelLink {
  // Callers from JSON or the CLI may pass any string; the type alone does not stop them.
  if (!isChannel(channel)) {
    throw new ChatmarkError(
      'invalid_channel',
      `"${String(channel)}" is not a channel; use one of ${CHANNELS.join(', ')}`,
      'channel',
    );
  }
  return BUILDERS[channel](request);
}
