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
