import { acceptFields, checkLength, checkRef, phoneOf } from './common.js';
import type { ChannelLink, LinkRequest } from './types.js';

const FIELDS = ['phone', 'country', 'text', 'ref'] as const;

/**
 * Signal-Android's parser for these links (spec/channels.md §6.2, `SignalMeUtil.kt`); what we build
 * must match it.
 */
export const SIGNAL_ME = /^(https|sgnl):\/\/signal\.me\/#p\/(\+[0-9]+)$/;

/**
 * Signal: `https://signal.me/#p/+<digits>` and `sgnl://signal.me/#p/+<digits>` (spec/channels.md
 * §6.2). A literal `+` (Signal does not recognise `%2B`), nothing after the digits. Signal takes
 * neither text nor a ref; both are accepted with a warning so that tracked links still work.
 *
 * @example buildSignal({ phone: '+447911123456' }).url === 'https://signal.me/#p/+447911123456'
 */
export function buildSignal(request: LinkRequest): ChannelLink {
  const fields = acceptFields(request, FIELDS, 'Signal');
  const { digits } = phoneOf(fields, 'Signal');
  const warnings: string[] = [];
  if (fields.text !== undefined) warnings.push('Signal links cannot carry text; it is left out');
  if (fields.ref !== undefined) {
    checkRef(fields.ref);
    warnings.push('Signal links cannot carry a ref; chats from this link stay unattributed');
  }
  return checkLength({
    channel: 'signal',
    url: `https://signal.me/#p/+${digits}`,
    appUrl: `sgnl://signal.me/#p/+${digits}`,
    carrier: 'none',
    text: null,
    warnings,
  });
}
