import { createHash } from 'node:crypto';
import { ChatmarkError } from './errors.js';

/**
 * Per-click ref tokens (DESIGN.md "The redirect hot path", "Chat-start attribution";
 * spec/channels.md §0, §1.5.1).
 *
 * A token is 7 Crockford base32 data characters (35 bits) plus 1 check character from the same
 * alphabet, so every token stays inside `[A-Za-z0-9_-]` and is a valid Telegram `start`,
 * Messenger/Instagram `ref` and Viber `context` (spec/channels.md §0). The 35 data bits are a keyed
 * permutation of the click's integer key: tokens look random, yet decoding one gives the click
 * number back with no index lookup.
 */

/** Characters in a canonical token: 7 data + 1 check. */
export const REF_TOKEN_LENGTH = 8;
/** The largest click number a token can carry (35 bits). */
export const MAX_CLICK_NUMBER = 2 ** 35 - 1;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DATA_LENGTH = 7;
const DOMAIN = 2 ** 35;
// Balanced Feistel over 36 bits (two 18-bit halves); cycle-walking maps it onto 2^35.
const HALF_BITS = 18;
const HALF = 2 ** HALF_BITS;
const HALF_MASK = HALF - 1;
// One 32-bit round key per SHA-256 word. Four rounds already make a pseudorandom permutation
// (Luby–Rackoff); eight cost nothing measurable and leave a margin for the weak round function.
const ROUNDS = 8;

/** Symbol value per ASCII code: -1 outside the alphabet; confusables I/L → 1 and O → 0 (Crockford). */
const VALUES = new Int8Array(128).fill(-1);
for (let value = 0; value < ALPHABET.length; value += 1) {
  const code = ALPHABET.charCodeAt(value);
  VALUES[code] = value;
  VALUES[String.fromCharCode(code).toLowerCase().charCodeAt(0)] = value;
}
for (const [confusable, value] of [
  ['I', 1],
  ['L', 1],
  ['O', 0],
] as const) {
  VALUES[confusable.charCodeAt(0)] = value;
  VALUES[confusable.toLowerCase().charCodeAt(0)] = value;
}

/** Luhn mod 32 "doubling": 2v folded back into base 32; a bijection, so every substitution shows. */
const DOUBLED = Uint8Array.from({ length: 32 }, (_, value) => (value < 16 ? 2 * value : 2 * value - 31));

/** Dashes a person, a keyboard or autocorrect may put in the printed form. */
const DASHES = '-\u2010\u2011\u2012\u2013\u2014\u2212';
/** DASHES for a regex character class: the ASCII hyphen escaped so that it is never read as a range. */
const DASH_CLASS = `\\${DASHES}`;
const SEPARATORS = new RegExp(`[\\s${DASH_CLASS}]`, 'g');

export interface RefCodec {
  /** Canonical token (8 uppercase characters) of a click number; RangeError outside 0..MAX_CLICK_NUMBER. */
  encode(clickNumber: number): string;
  /** Click number of a token in any accepted spelling, or undefined when its check character fails. */
  decode(token: string): number | undefined;
}

/**
 * Makes the codec for one deployment's secret. Round keys are derived once here, so encode and
 * decode are a few integer operations: no crypto call and no allocation beyond the result string.
 *
 * @example
 * const codec = createRefCodec(config.refSecret);
 * codec.decode(codec.encode(42)) === 42;
 */
export function createRefCodec(secret: string): RefCodec {
  if (secret === '') throw new ChatmarkError('missing_field', 'A ref token secret is required', 'secret');
  const digest = createHash('sha256').update(`chatmark/ref-token/v1\0${secret}`).digest();
  const keys = Array.from({ length: ROUNDS }, (_, i) => digest.readInt32BE(i * 4));

  // Halves are split with `>>> 0` (low 32 bits) and an exact power-of-two division: no float
  // modulo on the hot path.
  const forward = (x: number): number => {
    let right = (x >>> 0) & HALF_MASK;
    let left = (x - right) / HALF;
    for (let i = 0; i < ROUNDS; i += 1) {
      const next = left ^ round(right, keys[i]!);
      left = right;
      right = next;
    }
    return left * HALF + right;
  };
  const backward = (y: number): number => {
    let right = (y >>> 0) & HALF_MASK;
    let left = (y - right) / HALF;
    for (let i = ROUNDS - 1; i >= 0; i -= 1) {
      const previous = right ^ round(left, keys[i]!);
      right = left;
      left = previous;
    }
    return left * HALF + right;
  };

  return Object.freeze({
    encode(clickNumber: number): string {
      if (!Number.isInteger(clickNumber) || clickNumber < 0 || clickNumber > MAX_CLICK_NUMBER) {
        throw new RangeError(`Click number must be an integer in 0..${MAX_CLICK_NUMBER}, got ${clickNumber}`);
      }
      // Cycle-walking: re-apply the 36-bit permutation until it lands inside 2^35. This is a
      // permutation of 0..2^35-1 and takes two rounds of the network on average.
      let value = forward(clickNumber);
      while (value >= DOMAIN) value = forward(value);
      return tokenOf(value);
    },
    decode(token: string): number | undefined {
      const value = dataValueOf(token);
      if (value < 0) return undefined;
      let clickNumber = backward(value);
      while (clickNumber >= DOMAIN) clickNumber = backward(clickNumber);
      return clickNumber;
    },
  });
}

/**
 * A valid canonical token from random data, for a ref that has no click behind it
 * (`chatmark ref new`). `random` returns numbers in [0, 1) like Math.random; without it the
 * platform CSPRNG (Web Crypto) is used.
 *
 * @example randomRefToken(() => 0) === '00000000'
 */
export function randomRefToken(random?: () => number): string {
  let value = 0;
  if (random === undefined) {
    const bytes = globalThis.crypto.getRandomValues(new Uint8Array(DATA_LENGTH));
    for (const byte of bytes) value = value * 32 + (byte & 31);
  } else {
    for (let i = 0; i < DATA_LENGTH; i += 1) value = value * 32 + (Math.floor(random() * 32) & 31);
  }
  return tokenOf(value);
}

/**
 * The printed form `XXXX-XXXX` of a token, which survives being typed into a chat. Accepts any
 * spelling normalizeRefToken accepts; throws ChatmarkError `invalid_ref` (field `ref`) otherwise.
 *
 * @example formatRefToken('7kq2m9x1') === '7KQ2-M9X1'
 */
export function formatRefToken(token: string): string {
  const canonical = normalizeRefToken(token);
  if (canonical === undefined) {
    throw new ChatmarkError('invalid_ref', `"${token}" is not a valid ref token`, 'ref');
  }
  return `${canonical.slice(0, 4)}-${canonical.slice(4)}`;
}

/**
 * The canonical token for what a person typed: any case, dashes and spaces anywhere (Crockford
 * allows them), confusables I/L → 1 and O → 0. Undefined unless the check character is right.
 *
 * @example normalizeRefToken('7kq2-m9x1') === '7KQ2M9X1'
 */
export function normalizeRefToken(input: string): string | undefined {
  const value = dataValueOf(input);
  return value < 0 ? undefined : tokenOf(value);
}

/**
 * Every valid token in a message a person may have edited, most trustworthy first: tokens right
 * after the word "ref" (`ref`, `ref:`, `ref #`, `(ref …)`), then dashed `XXXX-XXXX`, then bare
 * 8-character words. Tokens are found only as whole words, any case, confusables accepted, and a
 * candidate whose check character fails is dropped: nothing is better than a wrong click.
 *
 * A bare candidate (not after "ref") must also look like a token, not prose: it needs a digit, or
 * no lowercase letter other than the confusables i/l/o. An ordinary 8-letter word passes the check
 * character by chance 1 time in 32, so without this rule "Telegram" could become someone's click.
 *
 * @example findRefTokens("Hi! I'd like the spring offer (ref 7kq2-m9x1).") // ['7KQ2M9X1']
 */
export function findRefTokens(messageText: string): string[] {
  // NFKC folds full-width letters and digits (Japanese and Chinese keyboards) into ASCII.
  const text = messageText.normalize('NFKC');
  const words = [...text.matchAll(WORD)];
  const afterRef: string[] = [];
  const dashed: string[] = [];
  const bare: string[] = [];

  for (let i = 0; i < words.length; i += 1) {
    const word = words[i]!;
    const previous = words[i - 1];
    const refBefore =
      previous !== undefined &&
      previous[0].toLowerCase() === 'ref' &&
      REF_GAP.test(text.slice(previous.index + previous[0].length, word.index));
    const bucket = (isDashed: boolean): string[] => (refBefore ? afterRef : isDashed ? dashed : bare);

    if (word[0].length === REF_TOKEN_LENGTH && CANDIDATE_8.test(word[0])) {
      if (refBefore || looksLikeToken(word[0])) bucket(false).push(word[0]);
    }
    const next = words[i + 1];
    if (word[0].length === 4 && next !== undefined && next[0].length === 4) {
      const candidate = word[0] + next[0];
      const gap = text.slice(word.index + 4, next.index);
      const joined = DASH_GAP.test(gap) || (refBefore && SPACE_GAP.test(gap));
      if (joined && CANDIDATE_8.test(candidate) && (refBefore || looksLikeToken(candidate))) {
        bucket(true).push(candidate);
      }
    }
  }

  // A Set keeps the order of first sight and stays linear on a message of thousands of tokens.
  const found = new Set<string>();
  for (const candidate of [...afterRef, ...dashed, ...bare]) {
    const token = normalizeRefToken(candidate);
    if (token !== undefined) found.add(token);
  }
  return [...found];
}

/**
 * The most trustworthy token in a message (the first of findRefTokens), or undefined.
 *
 * @example parseRefToken('Code: 7KQ2-M9X1, thanks') === '7KQ2M9X1'
 */
export function parseRefToken(messageText: string): string | undefined {
  return findRefTokens(messageText)[0];
}

/** Word runs, as `\b` sees words but Unicode-aware: a token inside `x7KQ2M9X1` or `7KQ2M9X1é` is no token. */
const WORD = /[\p{L}\p{N}_]+/gu;
/** Crockford symbols plus confusables, any case: every ASCII letter but U. */
const CANDIDATE_8 = /^[0-9A-TV-Za-tv-z]{8}$/;
const REF_GAP = new RegExp(`^[\\s:#.=${DASH_CLASS}]+$`);
const DASH_GAP = new RegExp(`^[${DASH_CLASS}]$`);
const SPACE_GAP = /^\s+$/;

function looksLikeToken(candidate: string): boolean {
  return /[0-9]/.test(candidate) || !/[a-hj-kmnp-z]/.test(candidate);
}

/** Cheap keyed round function (a murmur-style integer mix); returns 18 bits. */
function round(half: number, key: number): number {
  let h = Math.imul(half ^ key, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca77);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae3d);
  h ^= h >>> 16;
  return h & HALF_MASK;
}

/** The 8-character token of a 35-bit data value: 7 symbols, most significant first, then the check. */
function tokenOf(value: number): string {
  const low = (value >>> 0) & 0xfffff; // 20 bits: symbols 3–6
  const high = (value - low) / 2 ** 20; // 15 bits: symbols 0–2
  const d0 = high >>> 10;
  const d1 = (high >>> 5) & 31;
  const d2 = high & 31;
  const d3 = low >>> 15;
  const d4 = (low >>> 10) & 31;
  const d5 = (low >>> 5) & 31;
  const d6 = low & 31;
  // Luhn mod 32 from the right: the rightmost data symbol is doubled, then every second one.
  const sum = DOUBLED[d0]! + d1 + DOUBLED[d2]! + d3 + DOUBLED[d4]! + d5 + DOUBLED[d6]!;
  const check = (32 - (sum & 31)) & 31;
  return String.fromCharCode(
    ALPHABET.charCodeAt(d0),
    ALPHABET.charCodeAt(d1),
    ALPHABET.charCodeAt(d2),
    ALPHABET.charCodeAt(d3),
    ALPHABET.charCodeAt(d4),
    ALPHABET.charCodeAt(d5),
    ALPHABET.charCodeAt(d6),
    ALPHABET.charCodeAt(check),
  );
}

/**
 * The 35-bit data value of a token in any accepted spelling, or -1 (bad symbol, bad length or
 * failed check). The canonical and printed forms are read in place; anything else (spaces, other
 * dashes, full-width characters) is cleaned first.
 */
function dataValueOf(token: string): number {
  if (token.length === REF_TOKEN_LENGTH) {
    const value = readSymbols(token, -1);
    if (value >= 0) return value;
  } else if (token.length === REF_TOKEN_LENGTH + 1 && DASHES.includes(token.charAt(4))) {
    const value = readSymbols(token, 4);
    if (value >= 0) return value;
  }
  const cleaned = token.normalize('NFKC').replace(SEPARATORS, '');
  return cleaned.length === REF_TOKEN_LENGTH ? readSymbols(cleaned, -1) : -1;
}

function readSymbols(token: string, skip: number): number {
  let value = 0;
  let sum = 0;
  let position = 0; // symbols read so far; the check symbol is position 7
  for (let i = 0; i < token.length; i += 1) {
    if (i === skip) continue;
    const code = token.charCodeAt(i);
    const symbol = code < 128 ? VALUES[code]! : -1;
    if (symbol < 0) return -1;
    if (position < DATA_LENGTH) value = value * 32 + symbol;
    // Counting from the right with the check symbol at factor 1, even positions are doubled.
    sum += position % 2 === 0 ? DOUBLED[symbol]! : symbol;
    position += 1;
  }
  return (sum & 31) === 0 ? value : -1;
}
