import type { ErrorCode } from '../../src/domain/error-codes.js';
import { ApiError } from './api/client.js';

/**
 * API error codes in words for the person at the form. Codes whose server message already
 * explains the rule (username formats, length limits, which fields a channel takes) are left to
 * that message.
 */
const FRIENDLY: Readonly<Partial<Record<ErrorCode | 'network', string>>> = {
  invalid_phone:
    'That is not a phone number we can dial. Write it with the country code (+44 7911 123456) or fill in the country.',
  invalid_country: 'Use a two-letter country code, such as GB or US.',
  missing_field: 'This field is required.',
  invalid_option: 'This value is not accepted here.',
  invalid_email: 'That is not an email address.',
  invalid_url: 'Enter a full web address that starts with https://',
  invalid_subject: 'The subject must fit on one line.',
  invalid_platform: 'Choose iOS, Android or generic.',
  invalid_code: 'A custom code is 3–64 letters, digits, _ or -.',
  reserved_code: 'Chatmark uses that path itself; choose another code.',
  code_taken: 'That short code is already taken; choose another.',
  slug_taken: 'A campaign already uses that slug.',
  invalid_role: 'Choose viewer, editor or admin.',
  campaign_not_found: 'There is no such campaign; it may have been removed.',
  link_not_found: 'There is no such link; it may have been removed.',
  unknown_campaign: 'There is no such campaign; it may have been removed.',
  unknown_link: 'There is no such link; it may have been removed.',
  unauthorized: 'This API key is unknown or has been revoked.',
  forbidden: 'Your API key’s role does not allow this.',
  rate_limited: 'Too many requests at once; wait a moment and try again.',
  network: 'The Chatmark server cannot be reached. Check that it is running.',
  payload_too_large: 'That is too much text to send at once.',
};

/**
 * A sentence to show for a failure: the friendly text for a known code, else the server's
 * message (which names the rule), else a generic line.
 *
 * @example describeError(new ApiError('invalid_phone', '…', 422, 'phone')) // 'That is not a phone number…'
 */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'internal') return `The server hit an unexpected error. ${error.message}`;
    return FRIENDLY[error.code as keyof typeof FRIENDLY] ?? error.message;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/**
 * The form field an error belongs to. Channel builders say `phone`, request validation says
 * `target.phone`; the builder names target inputs by the bare name and UTM inputs `utm.source`.
 *
 * @example errorField(new ApiError('invalid_phone', '', 422, 'target.phone')) // 'phone'
 */
export function errorField(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || !error.field) return undefined;
  return error.field.startsWith('target.') ? error.field.slice('target.'.length) : error.field;
}
