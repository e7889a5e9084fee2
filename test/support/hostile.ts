import fc from 'fast-check';

/**
 * Pieces that break parsers: URL and query syntax, escapes (broken ones too), line breaks and
 * controls, lone surrogate halves, look-alike and combining characters, emoji, and the words and
 * shapes Chatmark's own parsers look for (`ref `, `utm_source=`, token halves, phone digits).
 */
// prettier-ignore
const PIECES = [
  '+', '@', '%', '%E0%A4', '%zz', '&', '=', '?', '#', ' ', '\r\n', '\n', '\t', '\u0000', '\u0085',
  'utm_source=', 'utm_medium=', 'cm_click=', 'ref ', '(ref ', '-', '.', '_', '7KQ2', 'M9X1',
  'WFED-BNKX', '00', '+44', '7911', '1', 'a', 'é', 'e\u0301', '👋', '\udc00', '\ud83d', 'ß', 'İ',
  '\u200b', 'ﬁ', '(', ')', '/', '//', 'https://', 'xn--', ':', '\\', '"', "'", '<', '>', '１２３',
  '٣',
] as const;

/** One hostile unit: a piece above, any code point, or half of a surrogate pair on its own. */
export const hostileUnit = fc.oneof(
  fc.constantFrom(...PIECES),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
);

/** Arbitrary Unicode text made of hostile units, broken surrogates included. */
export const hostileText = (maxLength = 40) => fc.string({ unit: hostileUnit, maxLength });

/**
 * A few hostile patterns to grow to any size: fixed worst cases for backtracking and scanning,
 * plus samples of hostileText (a fixed seed, so a slow pattern is found again on the next run).
 */
export function hostilePatterns(extra: readonly string[] = []): string[] {
  const sampled = fc.sample(
    hostileText(12).filter((text) => text.length > 0),
    { numRuns: 4, seed: 1042 },
  );
  return ['a', '+', 'a.', 'a@', '1 ', '%', '7KQ2-', 'ref ', '\udc00', ...extra, ...sampled];
}

/** `pattern` repeated to exactly `n` UTF-16 units (a surrogate pair may be cut: that is hostile too). */
export function grown(pattern: string, n: number): string {
  return pattern.repeat(Math.ceil(n / pattern.length)).slice(0, n);
}
