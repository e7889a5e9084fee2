import { acceptFields, checkLength, encodeText, phoneOf, visibleDraft } from './common.js';
import type { ChannelLink, LinkRequest } from './types.js';

const FIELDS = ['phone', 'country', 'text', 'ref'] as const;

/**
 * WhatsApp click-to-chat: `https://wa.me/<digits>[?text=…]` and `whatsapp://send?phone=…`
 * (spec/channels.md §1.1–§1.3). wa.me has no hidden parameter, so the ref travels visibly in the
 * text (§1.5.1).
 *
 * @example
 * buildWhatsApp({ phone: '011 15-2345-6789', country: 'AR' }).url === 'https://wa.me/5491123456789'
 */
export function buildWhatsApp(request: LinkRequest): ChannelLink {
  const fields = acceptFields(request, FIELDS, 'WhatsApp');
  const { digits } = phoneOf(fields, 'WhatsApp');
  const warnings: string[] = [];
  const text = visibleDraft('WhatsApp', fields.text, fields.ref, warnings);
  const encoded = text === null ? null : encodeText(text);
  return checkLength({
    channel: 'whatsapp',
    url: encoded === null ? `https://wa.me/${digits}` : `https://wa.me/${digits}?text=${encoded}`,
    appUrl:
      encoded === null
        ? `whatsapp://send?phone=${digits}`
        : `whatsapp://send?phone=${digits}&text=${encoded}`,
    carrier: 'text',
    text,
    warnings,
  });
}
