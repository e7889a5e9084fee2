import { findRefTokens, normalizeRefToken } from '../domain/ref-token.js';
import type { RefSource } from './types.js';

/** The ref part of a ChatStart. */
export interface CarriedRef {
  ref: string | null;
  token: string | null;
  refSource: RefSource | null;
}

/**
 * A Chatmark token exactly as Chatmark writes it into a link: canonical `7KQ2M9X1` or printed
 * `7KQ2-M9X1`, uppercase Crockford symbols. A carrier value is machine-written, so the tolerance
 * normalizeRefToken has for typing (lowercase, confusables, stray spaces) would only let custom
 * refs such as `spring24` pass the check character by chance (1 in 32) and claim someone's click.
 */
const CARRIED_TOKEN = /^[0-9A-HJKMNP-TV-Z]{4}-?[0-9A-HJKMNP-TV-Z]{4}$/;

/**
 * The ref of a hidden carrier (Telegram `start`, Messenger/Instagram `ref`, Viber `context`): the
 * value as given, plus its canonical token when it is a Chatmark token.
 *
 * @example carriedRef('7KQ2-M9X1', 'start') // { ref: '7KQ2-M9X1', token: '7KQ2M9X1', refSource: 'start' }
 * @example carriedRef('c_K7Q2MXr9', 'ref') // { ref: 'c_K7Q2MXr9', token: null, refSource: 'ref' }
 */
export function carriedRef(value: string | undefined, source: RefSource): CarriedRef {
  if (value === undefined || value === '') return { ref: null, token: null, refSource: null };
  const token = CARRIED_TOKEN.test(value) ? (normalizeRefToken(value) ?? null) : null;
  return { ref: value, token, refSource: source };
}

/**
 * The most trustworthy token in the texts of a message (spec/channels.md §1.5.1): the first
 * text that holds one wins, and within it findRefTokens' order (after "ref", dashed, bare).
 *
 * @example textRef(['Hi! (ref 7KQ2-M9X1)']) // { ref: '7KQ2M9X1', token: '7KQ2M9X1', refSource: 'text' }
 */
export function textRef(texts: readonly string[]): CarriedRef {
  for (const text of texts) {
    const token = findRefTokens(text)[0];
    if (token !== undefined) return { ref: token, token, refSource: 'text' };
  }
  return { ref: null, token: null, refSource: null };
}
