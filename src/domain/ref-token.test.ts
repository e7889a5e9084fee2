import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../test/golden/ref-tokens.json' with { type: 'json' };
import { ChatmarkError } from './errors.js';
import {
  createRefCodec,
  findRefTokens,
  formatRefToken,
  MAX_CLICK_NUMBER,
  normalizeRefToken,
  parseRefToken,
  REF_TOKEN_LENGTH,
  randomRefToken,
} from './ref-token.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CANONICAL = /^[0-9A-HJKMNP-TV-Z]{8}$/;
// spec/channels.md §0: the token alphabet every carrier (Telegram start, Messenger/Instagram ref,
// Viber context) accepts, and the Telegram start rule of §2.3.
const CHANNEL_SAFE = /^[A-Za-z0-9_-]{1,64}$/;

const codec = createRefCodec('unit-test secret');
const clickNumber = fc.integer({ min: 0, max: MAX_CLICK_NUMBER });
const randomSource = fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }));
/** Tokens from both producers: encode of arbitrary click numbers and randomRefToken. */
const anyToken = fc.oneof(
  clickNumber.map((n) => codec.encode(n)),
  randomSource.map((stream) => randomRefToken(() => stream.next().value)),
);

const printed = (token: string): string => `${token.slice(0, 4)}-${token.slice(4)}`;
/** Text that cannot glue onto the token: ends (or starts) with a non-word character. */
const before = fc.string({ maxLength: 30 }).map((s) => `${s} `);
const after = fc.string({ maxLength: 30 }).map((s) => ` ${s}`);
const punctuationAround = fc.tuple(
  fc.constantFrom('', '(', '"', '«', '*', ':', '#', '['),
  fc.constantFrom('', ')', '.', '!', '?', ',', '»', '"', ']'),
);
/** Replaces each 1 with one of I i L l and each 0 with O or o, as a person retyping may. */
const withConfusables = (token: string, picks: readonly number[]): string =>
  [...token]
    .map((char, i) => {
      const pick = picks[i] ?? 0;
      if (char === '1') return 'IiLl'.charAt(pick % 4);
      if (char === '0') return 'Oo'.charAt(pick % 2);
      return char;
    })
    .join('');
const confusablePicks = fc.array(fc.nat(3), { minLength: 8, maxLength: 8 });

describe('ref token codec (DESIGN.md "The redirect hot path")', () => {
  it('exports the format constants', () => {
    expect(REF_TOKEN_LENGTH).toBe(8);
    expect(MAX_CLICK_NUMBER).toBe(2 ** 35 - 1);
  });

  it.each(golden.codec)('pinned vector: $secret / $clickNumber → $token ($source)', (vector) => {
    const pinned = createRefCodec(vector.secret);
    expect(pinned.encode(vector.clickNumber)).toBe(vector.token);
    expect(pinned.decode(vector.token)).toBe(vector.clickNumber);
  });

  it('decode(encode(n)) === n for any click number, including both ends of the range', () => {
    for (const n of [0, 1, 2 ** 32 - 1, 2 ** 32, MAX_CLICK_NUMBER - 1, MAX_CLICK_NUMBER]) {
      expect(codec.decode(codec.encode(n))).toBe(n);
    }
    fc.assert(
      fc.property(clickNumber, (n) => {
        const token = codec.encode(n);
        expect(token).toMatch(CANONICAL);
        expect(token).toMatch(CHANNEL_SAFE);
        expect(codec.decode(token)).toBe(n);
        expect(codec.decode(printed(token).toLowerCase())).toBe(n);
      }),
    );
  });

  it('is injective on samples: distinct click numbers give distinct tokens', () => {
    fc.assert(
      fc.property(fc.uniqueArray(clickNumber, { minLength: 2, maxLength: 200 }), (numbers) => {
        const tokens = new Set(numbers.map((n) => codec.encode(n)));
        expect(tokens.size).toBe(numbers.length);
      }),
    );
    const block = new Set<string>();
    for (let n = 0; n < 100_000; n += 1) block.add(codec.encode(n));
    expect(block.size).toBe(100_000);
  });

  it('makes consecutive click numbers look unrelated (not sequential)', () => {
    const tokens = Array.from({ length: 1000 }, (_, n) => codec.encode(1_000_000 + n));
    let samePrefix = 0;
    let differingSymbols = 0;
    for (let i = 1; i < tokens.length; i += 1) {
      const [a, b] = [tokens[i - 1]!, tokens[i]!];
      if (a.slice(0, 3) === b.slice(0, 3)) samePrefix += 1;
      for (let j = 0; j < 7; j += 1) if (a[j] !== b[j]) differingSymbols += 1;
    }
    // Unrelated tokens share a 3-symbol prefix 1 time in 32768 and differ in ~6.8 of 7 symbols.
    expect(samePrefix).toBeLessThanOrEqual(2);
    expect(differingSymbols / (tokens.length - 1)).toBeGreaterThan(6.5);
    // Sorting tokens does not recover click order.
    const sorted = [...tokens].sort();
    expect(sorted.filter((token, i) => token === tokens[i]).length).toBeLessThan(10);
  });

  it('gives different tokens under different secrets', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), clickNumber, (a, b, start) => {
        fc.pre(a !== b);
        const [codecA, codecB] = [createRefCodec(a), createRefCodec(b)];
        let same = 0;
        for (let n = start; n < Math.min(start + 16, MAX_CLICK_NUMBER); n += 1) {
          if (codecA.encode(n) === codecB.encode(n)) same += 1;
        }
        expect(same).toBeLessThanOrEqual(1);
      }),
      { numRuns: 50 },
    );
  });

  it('encodes a million click numbers (no timing assertion: correctness of a hot-path-sized run)', () => {
    let checksum = 0;
    let last = '';
    for (let n = 0; n < 1_000_000; n += 1) {
      last = codec.encode(n);
      checksum ^= last.charCodeAt(n & 7);
    }
    expect(checksum).toBeGreaterThanOrEqual(0);
    expect(codec.decode(last)).toBe(999_999);
  });

  it.each([[-1], [MAX_CLICK_NUMBER + 1], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY]])(
    'encode(%s) throws RangeError',
    (n) => {
      expect(() => codec.encode(n)).toThrowError(RangeError);
    },
  );

  it('refuses an empty secret with missing_field on secret', () => {
    try {
      createRefCodec('');
      expect.unreachable('createRefCodec should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ChatmarkError);
      expect((error as ChatmarkError).code).toBe('missing_field');
      expect((error as ChatmarkError).field).toBe('secret');
    }
  });

  it.each([
    ['', 'empty'],
    ['7KQ2M9X', 'too short'],
    ['7KQ2M9X1A', 'too long'],
    ['7KQ2M9XU', 'U is not a Crockford symbol'],
    ['7KQ2-M9XH', 'wrong check character'],
    ['7KQ2*M9X1', 'foreign separator'],
  ])('decode(%j) is undefined (%s)', (token) => {
    expect(codec.decode(token)).toBeUndefined();
    expect(normalizeRefToken(token)).toBeUndefined();
  });
});

describe('check character (Luhn mod 32, spec/channels.md §0 and §1.5.1)', () => {
  it('rejects every single-symbol substitution', () => {
    fc.assert(
      fc.property(anyToken, (token) => {
        for (let position = 0; position < REF_TOKEN_LENGTH; position += 1) {
          for (const symbol of ALPHABET) {
            if (symbol === token[position]) continue;
            const changed = token.slice(0, position) + symbol + token.slice(position + 1);
            expect(normalizeRefToken(changed)).toBeUndefined();
            expect(codec.decode(changed)).toBeUndefined();
          }
        }
      }),
    );
  });

  it('rejects adjacent transpositions, except 0↔Z (values 0 and 31, the one pair Luhn mod N misses)', () => {
    fc.assert(
      fc.property(anyToken, (token) => {
        for (let position = 0; position < REF_TOKEN_LENGTH - 1; position += 1) {
          const [a, b] = [token[position]!, token[position + 1]!];
          if (a === b) continue;
          const swapped = token.slice(0, position) + b + a + token.slice(position + 2);
          const missed = (a === '0' && b === 'Z') || (a === 'Z' && b === '0');
          expect(normalizeRefToken(swapped) === undefined).toBe(!missed);
        }
      }),
    );
  });
});

describe('token spellings', () => {
  it('randomRefToken gives valid canonical tokens, from the default CSPRNG or a given source', () => {
    for (let i = 0; i < 100; i += 1) {
      const token = randomRefToken();
      expect(token).toMatch(CANONICAL);
      expect(normalizeRefToken(token)).toBe(token);
    }
    expect(randomRefToken(() => 0)).toBe('00000000');
    expect(randomRefToken(() => 0.999999)).toMatch(/^ZZZZZZZ[0-9A-Z]$/);
  });

  it('accepts canonical, printed, any-case and confusable spellings of every token', () => {
    fc.assert(
      fc.property(anyToken, confusablePicks, (token, picks) => {
        for (const spelling of [
          token,
          printed(token),
          token.toLowerCase(),
          printed(token).toLowerCase(),
          withConfusables(token, picks),
          printed(withConfusables(token, picks)),
          ` ${printed(token)} `,
          `${token.slice(0, 2)} ${token.slice(2, 6)}-${token.slice(6)}`,
        ]) {
          expect(normalizeRefToken(spelling)).toBe(token);
        }
        expect(formatRefToken(token)).toBe(printed(token));
        expect(formatRefToken(token.toLowerCase())).toBe(printed(token));
        // Both forms go straight into a channel parameter (spec/channels.md §0).
        expect(printed(token)).toMatch(CHANNEL_SAFE);
      }),
    );
  });

  it('formatRefToken refuses an invalid token with invalid_ref on ref', () => {
    try {
      formatRefToken('7KQ2-M9XH');
      expect.unreachable('formatRefToken should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ChatmarkError);
      expect((error as ChatmarkError).code).toBe('invalid_ref');
      expect((error as ChatmarkError).field).toBe('ref');
    }
  });
});

describe('finding tokens in chat messages (spec/channels.md §1.5.1)', () => {
  it.each(golden.messages)('$text → $expected ($source)', ({ text, expected }) => {
    expect(findRefTokens(text)).toEqual(expected);
    expect(parseRefToken(text)).toBe(expected[0]);
  });

  it('finds every token, canonical or printed, upper case or with upper-case confusables, among arbitrary text', () => {
    fc.assert(
      fc.property(
        anyToken,
        before,
        after,
        punctuationAround,
        confusablePicks,
        (token, head, tail, [open, close], picks) => {
          const retyped = withConfusables(token, picks).toUpperCase();
          for (const spelling of [token, printed(token), retyped, printed(retyped)]) {
            expect(findRefTokens(`${head}${open}${spelling}${close}${tail}`)).toContain(token);
          }
        },
      ),
    );
  });

  it('finds lower-case and confusable spellings among arbitrary text whenever the token has a digit', () => {
    fc.assert(
      fc.property(anyToken, before, after, confusablePicks, (token, head, tail, picks) => {
        fc.pre(/[2-9]/.test(token));
        for (const spelling of [
          token.toLowerCase(),
          printed(token).toLowerCase(),
          withConfusables(token, picks),
        ]) {
          expect(findRefTokens(`${head}${spelling}${tail}`)).toContain(token);
        }
      }),
    );
  });

  it('returns a token written after "ref" first, in any spelling', () => {
    fc.assert(
      fc.property(
        anyToken,
        fc.constantFrom('ref ', 'ref: ', 'Ref #', '(ref ', 'REF:', 'ref - '),
        fc.constantFrom('', ')', '.', ' please'),
        confusablePicks,
        (token, marker, close, picks) => {
          const other = codec.encode(7); // a valid token placed earlier, bare and dashed
          for (const spelling of [
            token,
            printed(token),
            token.toLowerCase(),
            printed(token).toLowerCase(),
            withConfusables(token, picks),
            withConfusables(token.toLowerCase(), picks),
          ]) {
            const message = `Hi! ${other} ${printed(other)} I'd like the spring offer ${marker}${spelling}${close}`;
            expect(parseRefToken(message)).toBe(token);
          }
        },
      ),
    );
  });

  it('returns nothing for a token with any single symbol changed', () => {
    fc.assert(
      fc.property(anyToken, fc.nat(7), fc.nat(31), (token, position, shift) => {
        fc.pre(shift !== 0);
        const index = ALPHABET.indexOf(token[position]!);
        const symbol = ALPHABET.charAt((index + shift) % 32);
        const changed = token.slice(0, position) + symbol + token.slice(position + 1);
        expect(parseRefToken(`Hi! (ref ${printed(changed)})`)).toBeUndefined();
        expect(parseRefToken(`Hi! ${changed}`)).toBeUndefined();
      }),
    );
  });

  it('never matches inside a longer alphanumeric run', () => {
    fc.assert(
      fc.property(
        anyToken,
        fc.stringMatching(/^[A-Za-z0-9]{1,3}$/),
        fc.stringMatching(/^[A-Za-z0-9]{0,3}$/),
        (token, glued, other) => {
          expect(findRefTokens(`Hi ${glued}${token}${other}!`)).not.toContain(token);
          expect(findRefTokens(`Hi ${other}${token}${glued}!`)).not.toContain(token);
          expect(findRefTokens(`Hi ${printed(token)}${glued}!`)).not.toContain(token);
          expect(findRefTokens(`Hi ${glued}${printed(token)}!`)).not.toContain(token);
        },
      ),
    );
  });
});
