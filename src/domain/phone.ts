import type { CountryCode } from 'libphonenumber-js/max';
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ChatmarkError } from './errors.js';

/** A phone number normalised to E.164 (spec/channels.md §7). */
export interface Phone {
  /** `+5491123456789` */
  readonly e164: string;
  /** E.164 without the `+`: what wa.me and `tg://resolve?phone=` take. */
  readonly digits: string;
  /** ISO 3166 country when the number identifies one. */
  readonly country: string | undefined;
}

/**
 * Parses what a person typed (national or international format) into E.164. A number that is not
 * *possible* for its country is refused: `isPossible` rather than `isValid`, as libphonenumber's
 * author advises, because strict range metadata goes stale.
 *
 * @example parsePhone('011 15-2345-6789', 'AR').digits === '5491123456789'
 */
export function parsePhone(input: string, defaultCountry?: string, field = 'phone'): Phone {
  const country = defaultCountry?.toUpperCase();
  if (country !== undefined && !isSupportedCountry(country)) {
    throw new ChatmarkError('invalid_country', `Unknown country code "${defaultCountry}"`, 'country');
  }
  const trimmed = input.trim();
  if (trimmed === '') throw new ChatmarkError('missing_field', 'A phone number is required', field);
  const parsed = parsePhoneNumberFromString(trimmed, {
    defaultCountry: country as CountryCode | undefined,
    extract: false,
  });
  if (!parsed?.isPossible()) {
    const hint = country ? ` for ${country}` : '; write it in international format (+…) or give a country';
    throw new ChatmarkError('invalid_phone', `"${input}" is not a possible phone number${hint}`, field);
  }
  return { e164: parsed.number, digits: parsed.number.slice(1), country: parsed.country };
}
