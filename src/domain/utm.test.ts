import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChatmarkError } from './errors.js';
import {
  applyUtmDefaults,
  buildUtm,
  DEFAULT_MEDIUM_VOCABULARY,
  fixUtm,
  isFixableUtmFinding,
  lintUtm,
  lintUtmValue,
  normalizeUtmValue,
  UTM_KEYS,
  type UtmFinding,
  type UtmKey,
  type UtmValues,
} from './utm.js';

/** Just what a test compares: code, param and suggested value. */
const brief = (findings: UtmFinding[]) => findings.map(({ code, param, fix }) => ({ code, param, fix }));
const queryOf = (url: string): string => url.split('#')[0]!.split('?')[1] ?? '';
const fragmentOf = (url: string): string => (url.includes('#') ? url.slice(url.indexOf('#')) : '');
const nonUtmSegments = (url: string): string[] =>
  queryOf(url)
    .split('&')
    .filter((segment) => segment !== '' && !segment.startsWith('utm_'));

function expectRefused(run: () => unknown, code: string, field: string): void {
  try {
    run();
    expect.unreachable('should have thrown');
  } catch (error) {
    expect(error).toBeInstanceOf(ChatmarkError);
    expect((error as ChatmarkError).code).toBe(code);
    expect((error as ChatmarkError).field).toBe(field);
  }
}

describe('buildUtm', () => {
  it.each([
    [
      'keeps other parameters byte for byte (no URLSearchParams round trip) and the fragment',
      'https://shop.example/p?q=a%20b&x=1+2&y=%7E&sig=AbC%2F#top',
      { source: 'whatsapp', medium: 'qr', campaign: 'spring 26' },
      'https://shop.example/p?q=a%20b&x=1+2&y=%7E&sig=AbC%2F&utm_source=whatsapp&utm_medium=qr&utm_campaign=spring%2026#top',
    ],
    [
      'replaces an existing value in place and drops its duplicates',
      'https://a.example/?utm_source=old&id=1&utm_source=older',
      { source: 'new' },
      'https://a.example/?utm_source=new&id=1',
    ],
    [
      'recognises a percent-encoded parameter name',
      'https://a.example/?utm%5Fsource=old',
      { source: 'new' },
      'https://a.example/?utm_source=new',
    ],
    [
      'adds a query to a URL with none',
      'https://a.example',
      { term: 'a&b' },
      'https://a.example?utm_term=a%26b',
    ],
    ['fills an empty query', 'https://a.example/?#f', { content: 'x' }, 'https://a.example/?utm_content=x#f'],
    [
      'does not double a trailing &',
      'https://a.example/?a=1&',
      { source: 'x' },
      'https://a.example/?a=1&utm_source=x',
    ],
    [
      'writes keys in source, medium, campaign, term, content order',
      'https://a.example/',
      { content: 'c', term: 't', campaign: 'k', medium: 'm', source: 's' },
      'https://a.example/?utm_source=s&utm_medium=m&utm_campaign=k&utm_term=t&utm_content=c',
    ],
    [
      'sets nothing for empty values',
      'https://a.example/?a=1',
      { source: '', medium: undefined },
      'https://a.example/?a=1',
    ],
    [
      'trims surrounding whitespace',
      '  https://a.example/  ',
      { source: 'x' },
      'https://a.example/?utm_source=x',
    ],
  ] satisfies [string, string, UtmValues, string][])('%s', (_, url, values, expected) => {
    expect(buildUtm(url, values)).toBe(expected);
  });

  it("with keepExisting, the URL's own non-empty values win and empty ones are filled", () => {
    expect(
      buildUtm(
        'https://a.example/?utm_source=ig&utm_medium=&x=%20',
        { source: 'qr', medium: 'qr' },
        { keepExisting: true },
      ),
    ).toBe('https://a.example/?utm_source=ig&utm_medium=qr&x=%20');
  });

  it.each([
    [''],
    ['not a url'],
    ['/relative/path'],
    ['ftp://a.example/file'],
    ['mailto:a@b.example'],
    ['javascript:alert(1)'],
    ['https://'],
  ])('refuses %j with invalid_url on url (buildUtm, lintUtm, fixUtm)', (url) => {
    expectRefused(() => buildUtm(url, { source: 'x' }), 'invalid_url', 'url');
    expectRefused(() => lintUtm(url), 'invalid_url', 'url');
    expectRefused(() => fixUtm(url), 'invalid_url', 'url');
  });
});

describe('applyUtmDefaults (DESIGN.md "The redirect hot path", step 4)', () => {
  it.each([
    [
      "the destination's own values win",
      'https://a.example/?utm_source=ig',
      { source: 'qr', medium: 'qr' },
      'https://a.example/?utm_source=ig&utm_medium=qr',
    ],
    [
      'an empty own value counts as none',
      'https://a.example/?utm_medium=&b=2',
      { medium: 'qr' },
      'https://a.example/?utm_medium=qr&b=2',
    ],
    [
      'no UTM in the query: appended without parsing',
      'https://a.example/p?q=a%20b#frag',
      { source: 'sms', campaign: 'spring_26' },
      'https://a.example/p?q=a%20b&utm_source=sms&utm_campaign=spring_26#frag',
    ],
    [
      'no query at all',
      'https://a.example/p#frag',
      { source: 'sms' },
      'https://a.example/p?utm_source=sms#frag',
    ],
  ] satisfies [string, string, UtmValues, string][])('%s', (_, url, defaults, expected) => {
    expect(applyUtmDefaults(url, defaults)).toBe(expected);
  });

  it('returns the same string when there is nothing to add', () => {
    const url = 'https://a.example/?utm_source=ig&x=%7e';
    expect(applyUtmDefaults(url, {})).toBe(url);
    expect(applyUtmDefaults(url, { source: 'qr' })).toBe(url);
  });

  it("agrees with a model: the URL's own non-empty values stay as they are, else the default; others untouched", () => {
    const segment = fc.oneof(
      fc.stringMatching(/^[a-z]{1,5}=[A-Za-z0-9%+._~-]{0,6}$/),
      fc
        .tuple(fc.constantFrom(...UTM_KEYS), fc.constantFrom('', 'own', 'Own%20Value'))
        .map(([k, v]) => `utm_${k}=${v}`),
    );
    const defaults = fc.record(
      {
        source: fc.string(),
        medium: fc.string(),
        campaign: fc.string(),
        term: fc.string(),
        content: fc.string(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 6 }),
        defaults,
        fc.constantFrom('', '#f'),
        (segments, values, hash) => {
          const url = `https://a.example/p${segments.length > 0 ? `?${segments.join('&')}` : ''}${hash}`;
          const result = applyUtmDefaults(url, values);
          expect(fragmentOf(result)).toBe(hash);
          expect(nonUtmSegments(result)).toEqual(nonUtmSegments(url));
          const own = new URLSearchParams(queryOf(url));
          const merged = new URLSearchParams(queryOf(result));
          for (const key of UTM_KEYS) {
            const mine = own.getAll(`utm_${key}`);
            const fallback = values[key];
            const expected =
              mine.some((value) => value !== '') || fallback === undefined || fallback === ''
                ? mine
                : [fallback];
            expect(merged.getAll(`utm_${key}`), key).toEqual(expected);
          }
        },
      ),
    );
  });
});

describe('normalizeUtmValue (the naming convention)', () => {
  it.each([
    ['Spring Sale 2026', 'spring_sale_2026'],
    ['  Promoção de Verão!! ', 'promocao_de_verao'],
    ['e-mail', 'e_mail'],
    ['Whats App', 'whats_app'],
    ['Crème brûlée', 'creme_brulee'],
    ['Straße', 'strasse'],
    ['İstanbul', 'istanbul'],
    ['ＷｈａｔｓＡｐｐ', 'whatsapp'],
    ['__a__b__', 'a_b'],
    ['a.b/c:d', 'a_b_c_d'],
    ['spring_sale', 'spring_sale'],
    ['весна', ''],
  ])('%j → %j', (value, expected) => {
    expect(normalizeUtmValue(value)).toBe(expected);
  });

  it('always gives lower-case ASCII words joined by single "_", and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        const normalized = normalizeUtmValue(value);
        expect(normalized).toMatch(/^(?:[a-z0-9]+(?:_[a-z0-9]+)*)?$/);
        expect(normalizeUtmValue(normalized)).toBe(normalized);
      }),
    );
  });
});

describe('lintUtmValue', () => {
  it.each([
    [
      'medium',
      'Whats App',
      [
        ['not_normalized', 'whatsapp'],
        ['unknown_medium', 'whatsapp'],
      ],
    ],
    [
      'medium',
      'e-mail',
      [
        ['not_normalized', 'email'],
        ['unknown_medium', 'email'],
      ],
    ],
    ['medium', 'WhatsApp', [['not_normalized', 'whatsapp']]],
    ['medium', 'whatsap', [['unknown_medium', 'whatsapp']]],
    ['medium', 'emial', [['unknown_medium', 'email']]],
    ['medium', 'telegarm', [['unknown_medium', 'telegram']]],
    ['medium', 'podcast', [['unknown_medium', null]]],
    ['medium', 'whatsapp', []],
    ['campaign', 'spring_sale', []],
    ['campaign', 'Spring Sale', [['not_normalized', 'spring_sale']]],
    ['campaign', '2026-03-15', [['not_normalized', '2026_03_15']]],
    ['campaign', '23851234567890123', []],
    ['source', 'весна', [['not_normalized', null]]],
    ['source', '', [['empty_value', null]]],
    ['source', '   ', [['empty_value', null]]],
    ['content', 'john.doe@example.com', [['personal_data', null]]],
    ['term', '+44 7911 123456', [['personal_data', null]]],
    ['term', '0044 7911 123456', [['personal_data', null]]],
    ['content', '(415) 555-2671', [['personal_data', null]]],
    ['content', 'call 030/1234567', [['personal_data', null]]],
  ] satisfies [UtmKey, string, [string, string | null][]][])('%s %j → %j', (param, value, expected) => {
    const findings = lintUtmValue(param, value);
    expect(findings.map(({ code, fix }) => [code, fix])).toEqual(expected);
    for (const finding of findings) {
      expect(finding.param).toBe(`utm_${param}`);
      expect(finding.message).toContain(`utm_${param}`);
    }
  });

  it('takes a campaign vocabulary', () => {
    expect(lintUtmValue('medium', 'newsletter', { vocabulary: ['newsletter', 'push'] })).toEqual([]);
    expect(brief(lintUtmValue('medium', 'newsleter', { vocabulary: ['newsletter', 'push'] }))).toEqual([
      { code: 'unknown_medium', param: 'utm_medium', fix: 'newsletter' },
    ]);
    expect(brief(lintUtmValue('medium', 'email', { vocabulary: ['newsletter'] }))).toEqual([
      { code: 'unknown_medium', param: 'utm_medium', fix: null },
    ]);
  });

  it('has the default medium vocabulary', () => {
    expect(DEFAULT_MEDIUM_VOCABULARY).toEqual([
      'sms',
      'whatsapp',
      'telegram',
      'viber',
      'messenger',
      'instagram',
      'line',
      'signal',
      'email',
      'social',
      'cpc',
      'display',
      'affiliate',
      'qr',
      'referral',
    ]);
  });
});

describe('lintUtm', () => {
  it('finds nothing in a conventional URL', () => {
    expect(
      lintUtm('https://a.example/?utm_source=flyer&utm_medium=qr&utm_campaign=spring_26&x=A%20B'),
    ).toEqual([]);
  });

  it('reports each missing required parameter with no suggestion', () => {
    expect(brief(lintUtm('https://a.example/?utm_term=shoes'))).toEqual([
      { code: 'missing_parameter', param: 'utm_source', fix: null },
      { code: 'missing_parameter', param: 'utm_medium', fix: null },
      { code: 'missing_parameter', param: 'utm_campaign', fix: null },
    ]);
  });

  it('reports every rule on one URL', () => {
    const url =
      'https://a.example/p?utm_source=Insta%20Gram&utm_source=ig&utm_medium=e-mail&utm_campaign=' +
      '&utm_content=%2B447911123456&utm_term=a+b&utm_id=john%40example.com&ref=x#utm_source=Frag';
    expect(brief(lintUtm(url))).toEqual([
      { code: 'duplicate_parameter', param: 'utm_source', fix: 'insta_gram' },
      { code: 'not_normalized', param: 'utm_source', fix: 'insta_gram' },
      { code: 'not_normalized', param: 'utm_medium', fix: 'email' },
      { code: 'unknown_medium', param: 'utm_medium', fix: 'email' },
      { code: 'empty_value', param: 'utm_campaign', fix: null },
      { code: 'personal_data', param: 'utm_content', fix: null },
      { code: 'not_normalized', param: 'utm_term', fix: 'a_b' },
      { code: 'personal_data', param: 'utm_id', fix: null },
      { code: 'missing_parameter', param: 'utm_campaign', fix: null },
    ]);
  });

  it('sees a phone number written with a raw + (which form decoding reads as a space)', () => {
    expect(
      brief(
        lintUtm('https://a.example/?utm_source=s&utm_medium=sms&utm_campaign=c&utm_content=+447911123456'),
      ),
    ).toEqual([{ code: 'personal_data', param: 'utm_content', fix: null }]);
  });

  it('uses the given vocabulary', () => {
    const url = 'https://a.example/?utm_source=s&utm_medium=push&utm_campaign=c';
    expect(brief(lintUtm(url))).toEqual([{ code: 'unknown_medium', param: 'utm_medium', fix: null }]);
    expect(lintUtm(url, { vocabulary: ['push'] })).toEqual([]);
  });
});

describe('fixUtm', () => {
  it.each([
    [
      'https://a.example/?utm_source=Insta%20Gram&utm_source=x&utm_term=&id=7#f',
      'https://a.example/?utm_source=insta_gram&id=7#f',
    ],
    [
      'https://a.example/p?utm_source=&utm_source=WhatsApp&utm_medium=Whats+App&utm_campaign=spring&q=a%20b',
      'https://a.example/p?utm_source=whatsapp&utm_medium=whatsapp&utm_campaign=spring&q=a%20b',
    ],
    ['https://a.example/?utm_content=john%40example.com&utm_term=+447911123456#x', 'https://a.example/#x'],
    ['https://a.example/?utm_source=%E0%A4%A&z=%zz', 'https://a.example/?utm_source=e0_a4_a&z=%zz'],
    ['https://a.example/?utm_medium=podcast', 'https://a.example/?utm_medium=podcast'],
    ['https://a.example/?utm_source=весна', 'https://a.example/?utm_source=весна'],
  ])('%s → %s', (url, expected) => {
    expect(fixUtm(url)).toBe(expected);
  });

  it('maps a medium with the given vocabulary', () => {
    expect(
      fixUtm('https://a.example/?utm_medium=Push-Notification', { vocabulary: ['push_notifications'] }),
    ).toBe('https://a.example/?utm_medium=push_notifications');
  });

  it('leaves no fixable finding, keeps other parameters and the fragment, and is idempotent', () => {
    const value = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.emailAddress(),
      fc.constantFrom(
        '',
        ' ',
        'Whats App',
        'e-mail',
        'WhatsApp',
        'whatsap',
        'podcast',
        'spring_sale',
        '+44 7911 123456',
        '(415) 555-2671',
        '23851234567890123',
        'весна',
        'Straße',
        'qr',
      ),
    );
    const utmSegment = fc
      .tuple(fc.constantFrom(...UTM_KEYS, 'id'), value, fc.boolean())
      .map(
        ([key, v, plus]) =>
          `utm_${key}=${plus ? encodeURIComponent(v).replaceAll('%20', '+') : encodeURIComponent(v)}`,
      );
    const rawSegment = fc.constantFrom(
      'utm_term',
      'utm_source=%E0%A4%A',
      'utm_content=+447911123456',
      'utm_medium=',
    );
    const otherSegment = fc.stringMatching(/^[a-z]{1,6}=[A-Za-z0-9%+._~-]{0,8}$/);
    const url = fc
      .tuple(
        fc.array(fc.oneof(utmSegment, utmSegment, rawSegment, otherSegment), { maxLength: 10 }),
        fc.constantFrom('', '#top', '#a=b&utm_source=X'),
      )
      .map(
        ([segments, hash]) =>
          `https://example.com/path${segments.length > 0 ? `?${segments.join('&')}` : ''}${hash}`,
      );

    fc.assert(
      fc.property(url, (original) => {
        const fixed = fixUtm(original);
        expect(lintUtm(fixed).filter(isFixableUtmFinding)).toEqual([]);
        expect(nonUtmSegments(fixed)).toEqual(nonUtmSegments(original));
        expect(fragmentOf(fixed)).toBe(fragmentOf(original));
        expect(fixUtm(fixed)).toBe(fixed);
        // A URL with nothing to fix comes back as the very same string.
        if (lintUtm(original).filter(isFixableUtmFinding).length === 0) expect(fixed).toBe(original);
      }),
      { numRuns: 300 },
    );
  });

  it('isFixableUtmFinding: removals always, value changes when suggested, missing parameters never', () => {
    const of = (code: UtmFinding['code'], fix: string | null) =>
      isFixableUtmFinding({ code, param: 'utm_x', message: '', fix });
    expect([
      of('duplicate_parameter', null),
      of('empty_value', null),
      of('personal_data', null),
      of('not_normalized', 'a'),
      of('unknown_medium', 'email'),
    ]).toEqual([true, true, true, true, true]);
    expect([of('not_normalized', null), of('unknown_medium', null), of('missing_parameter', null)]).toEqual([
      false,
      false,
      false,
    ]);
  });
});
