import { ChatmarkError } from '../errors.js';
import { acceptFields, checkLength, encodeText, phoneOf, visibleDraft } from './common.js';
import { type ChannelLink, type LinkRequest, SMS_PLATFORMS, type SmsPlatform } from './types.js';

const FIELDS = ['phone', 'country', 'platform', 'text', 'ref'] as const;

/**
 * SMS: `sms:+<e164>?body=<encoded>` (RFC 5724, spec/channels.md §6.3), or `sms:+<e164>&body=…`
 * for `platform: 'ios'`, which prefills only that way since iOS 8. The body is the visible carrier.
 *
 * @example buildSms({ phone: '+15105550101', text: 'hello there' }).url === 'sms:+15105550101?body=hello%20there'
 */
export function buildSms(request: LinkRequest): ChannelLink {
  const fields = acceptFields(request, FIELDS, 'SMS');
  const platform = checkPlatform(fields.platform ?? 'generic');
  const { e164 } = phoneOf(fields, 'SMS');
  const warnings: string[] = [];
  const text = visibleDraft('SMS', fields.text, fields.ref, warnings);
  const separator = platform === 'ios' ? '&' : '?';
  return checkLength({
    channel: 'sms',
    url: text === null ? `sms:${e164}` : `sms:${e164}${separator}body=${encodeText(text)}`,
    appUrl: null,
    carrier: 'text',
    text,
    warnings,
  });
}

function checkPlatform(platform: string): SmsPlatform {
  const known = SMS_PLATFORMS.find((candidate) => candidate === platform);
  if (known === undefined) {
    throw new ChatmarkError(
      'invalid_platform',
      `"${platform}" is not an SMS platform; use one of ${SMS_PLATFORMS.join(', ')}`,
      'platform',
    );
  }
  return known;
}
