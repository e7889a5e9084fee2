/**
 * Finds personal data (an email address or a phone number) in free text: UTM values, event
 * properties, idempotency keys. Linear in the length of the text: every value here can come from
 * anyone (a pasted URL, a request body), so no pattern may backtrack over the whole text per
 * position.
 */

/** A character of an email's local part, right before its `@`. */
const EMAIL_AT = /[\p{L}\p{N}._%+-]@/gu;
/** An email's domain, tried only where an `@` starts one (sticky). */
const EMAIL_DOMAIN = /[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/uy;
/** A run of digits that may be written with phone-style separators, with an optional + or 00. */
const PHONE_RUN = /(?:\+\s*|\b00)?\(?\d[\d\s().\-/]*\d/g;
const SEPARATED_DIGITS = /\d[\s().\-/]+\d/;

/**
 * Names the personal data in a value, or null. Phone numbers are recognised when written like
 * phone numbers — with `+`/`00` (8–15 digits) or with separators (9–15 digits) — because long bare
 * digit runs are usually ad, campaign or order ids (`utm_campaign={{campaign.id}}`).
 *
 * @example personalDataIn('ana@example.com') === 'an email address'; personalDataIn('+44 7911 123456') === 'a phone number'
 */
export function personalDataIn(value: string): string | null {
  if (value.includes('@') && hasEmail(value)) return 'an email address';
  for (const match of value.matchAll(PHONE_RUN)) {
    const run = match[0];
    const digits = run.replace(/\D/g, '').length;
    const international = run.startsWith('+') || run.startsWith('00');
    const significant = digits - (run.startsWith('00') ? 2 : 0);
    if (international && significant >= 8 && significant <= 15) return 'a phone number';
    if (digits >= 9 && digits <= 15 && SEPARATED_DIGITS.test(run)) return 'a phone number';
  }
  return null;
}

/**
 * A phone number written in international form (`+…` or `00…`, then a country code, which never
 * starts with 0), not glued to letters or digits.
 */
const INTERNATIONAL_PHONE = /(?<![\p{L}\p{N}+])(?:\+\s*\(?|\b00)[1-9][\d\s().\-/]*\d(?![\p{L}\p{N}])/gu;
/** A value that is nothing but a phone number: digits, separators and an optional leading `+`. */
const WHOLE_PHONE = /^\+?[\d\s().\-/]+$/;

/**
 * True when the value has an email address (`local@domain.tld`) in it.
 *
 * @example containsEmail('write to ana@example.com') === true
 */
export function containsEmail(value: string): boolean {
  return value.includes('@') && hasEmail(value);
}

/**
 * The strict reading of "has a phone number", for identifiers and data that are mostly not text
 * (idempotency keys, event properties): a number in international form (`+44 7911 123456`,
 * `0044…`, 8–15 digits) anywhere, or a value that is only a phone number with separators
 * (`(011) 15-2345-6789`, 9–15 digits). personalDataIn's looser rule — any separated run of 9–15
 * digits — would take one UUID in eight for a phone number (`…-a716-446655440000`).
 *
 * @example containsPhone('lead-+447911123456') === true; containsPhone('550e8400-e29b-41d4-a716-446655440000') === false
 */
export function containsPhone(value: string): boolean {
  for (const match of value.matchAll(INTERNATIONAL_PHONE)) {
    const run = match[0];
    const digits = run.replace(/\D/g, '').length - (run.startsWith('00') ? 2 : 0);
    if (digits >= 8 && digits <= 15) return true;
  }
  const whole = value.trim();
  if (whole.length > 40 || !WHOLE_PHONE.test(whole)) return false;
  const digits = whole.replace(/\D/g, '').length;
  return digits >= 9 && digits <= 15 && (whole.startsWith('+') || SEPARATED_DIGITS.test(whole));
}

/**
 * `local@domain.tld` anywhere in the value. Each `@` is tried once, and a domain cannot span an
 * `@`, so the whole check reads each character a bounded number of times.
 */
function hasEmail(value: string): boolean {
  EMAIL_AT.lastIndex = 0;
  for (let match = EMAIL_AT.exec(value); match !== null; match = EMAIL_AT.exec(value)) {
    EMAIL_DOMAIN.lastIndex = match.index + match[0].length;
    if (EMAIL_DOMAIN.test(value)) return true;
  }
  return false;
}
