import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import golden from '../../test/golden/user-agents.json' with { type: 'json' };
import { ChatmarkError } from '../domain/errors.js';
import type UAParserModule from 'ua-parser-js';
import {
  AD_CLICK_ID_PARAMS,
  adClickIds,
  createClassifier,
  type RequestClass,
  referrerHost,
  visitorHash,
} from './classify.js';

// Counts real ua-parser-js parses, so the cache tests prove the parser is skipped, not just that
// equal objects come back. The wrapper delegates to the real parser: every other test sees real output.
const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock('ua-parser-js', async (importOriginal) => {
  const actual = await importOriginal<{ default: typeof UAParserModule }>();
  const RealParser = actual.default;
  function CountingParser(): UAParserModule.UAParserInstance {
    const parser = new RealParser();
    const setUA = parser.setUA.bind(parser);
    parser.setUA = (ua: string) => {
      parses.count += 1;
      return setUA(ua);
    };
    return parser;
  }
  return { default: CountingParser };
});

const HOT_PATH = 'DESIGN.md "The redirect hot path"';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const WINDOWS_CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const MAC_SAFARI =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

const HEAD_RESULT: RequestClass = { bot: true, botReason: 'head', device: 'bot', os: null, browser: null };
const NO_UA_RESULT: RequestClass = {
  bot: true,
  botReason: 'no_user_agent',
  device: 'bot',
  os: null,
  browser: null,
};

describe(`createClassifier: golden user agents (${HOT_PATH}, step 2)`, () => {
  const classify = createClassifier();

  it('has the coverage the brief asks for', () => {
    const groups = new Set(golden.userAgents.map((entry) => entry.group));
    expect(golden.userAgents.length).toBeGreaterThanOrEqual(25);
    expect([...groups].sort()).toEqual([
      'browser',
      'crawler',
      'in-app',
      'missing',
      'other-device',
      'preview',
      'tool',
    ]);
  });

  it.each(golden.userAgents)('GET from $name → $expected.botReason / $expected.device', (entry) => {
    expect(classify('GET', entry.ua)).toEqual(entry.expected);
  });

  it('classifies people in in-app browsers (Instagram, Facebook, TikTok, WhatsApp, Telegram, …) as people', () => {
    const inApp = golden.userAgents.filter((entry) => entry.group === 'in-app');
    const apps = inApp.map((entry) => entry.name.split(' ')[0]);
    expect(apps).toEqual(expect.arrayContaining(['Instagram', 'Facebook', 'TikTok', 'WhatsApp', 'Telegram']));
    for (const entry of inApp) {
      const result = classify('GET', entry.ua);
      expect(result.bot, entry.name).toBe(false);
      expect(['mobile', 'tablet'], entry.name).toContain(result.device);
    }
  });

  it.each(golden.userAgents.filter((entry) => entry.group === 'browser'))(
    'a WhatsApp in-app token appended to $name keeps it a person (previews start with WhatsApp/)',
    (entry) => {
      const result = classify('GET', `${entry.ua} WhatsApp/2.24.13.78 A`);
      expect(result.bot).toBe(false);
      expect(result.botReason).toBeNull();
    },
  );
});

describe(`createClassifier: HEAD and missing user agents (${HOT_PATH}, step 2)`, () => {
  const classify = createClassifier();

  it.each([...golden.userAgents.map((entry) => entry.ua), undefined, ''])(
    'HEAD with %j is a bot (head)',
    (ua) => {
      expect(classify('HEAD', ua)).toEqual(HEAD_RESULT);
    },
  );

  it.each([
    ['GET', undefined],
    ['GET', ''],
    ['POST', undefined],
    ['GET', ' \t '],
  ])('%s with user agent %j is a bot (no_user_agent)', (method, ua) => {
    expect(classify(method, ua)).toEqual(NO_UA_RESULT);
  });

  it('treats other methods like GET', () => {
    expect(classify('POST', IPHONE_SAFARI)).toEqual(classify('GET', IPHONE_SAFARI));
  });
});

describe('createClassifier: the user-agent cache', () => {
  it('parses a repeated user agent once and returns the same frozen object', () => {
    const classify = createClassifier();
    const before = parses.count;
    const first = classify('GET', IPHONE_SAFARI);
    const second = classify('GET', IPHONE_SAFARI);
    expect(second).toBe(first);
    expect(parses.count - before).toBe(1);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('does not run the parser for bots at all (preview rules and isbot answer first)', () => {
    const classify = createClassifier();
    const before = parses.count;
    const preview = classify('GET', 'WhatsApp/2.23.20.0 A');
    const crawler = classify('GET', 'curl/8.5.0');
    expect(parses.count).toBe(before);
    expect(Object.isFrozen(preview) && Object.isFrozen(crawler)).toBe(true);
  });

  it('evicts the least recently used user agent beyond cacheSize', () => {
    const classify = createClassifier({ cacheSize: 2 });
    const iphone = classify('GET', IPHONE_SAFARI);
    classify('GET', WINDOWS_CHROME);
    expect(classify('GET', IPHONE_SAFARI)).toBe(iphone); // refreshes the iPhone entry
    classify('GET', MAC_SAFARI); // evicts Windows, the least recently used
    const before = parses.count;
    expect(classify('GET', IPHONE_SAFARI)).toBe(iphone);
    expect(parses.count).toBe(before);
    const windowsAgain = classify('GET', WINDOWS_CHROME);
    expect(parses.count).toBe(before + 1);
    expect(windowsAgain).toEqual({
      bot: false,
      botReason: null,
      device: 'desktop',
      os: 'Windows',
      browser: 'Chrome',
    });
  });

  it('classifies but does not cache absurdly long user agents', () => {
    const classify = createClassifier();
    const long = `${IPHONE_SAFARI} ${'Padding/1.0 '.repeat(100)}`;
    expect(long.length).toBeGreaterThan(1_024);
    const before = parses.count;
    const first = classify('GET', long);
    const second = classify('GET', long);
    expect(parses.count - before).toBe(2);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ bot: false, device: 'mobile', os: 'iOS' });
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses cacheSize %s', (cacheSize) => {
    try {
      createClassifier({ cacheSize });
      expect.unreachable('createClassifier should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ChatmarkError);
      expect((error as ChatmarkError).code).toBe('invalid_option');
      expect((error as ChatmarkError).field).toBe('cacheSize');
    }
  });
});

describe('createClassifier: properties', () => {
  const method = fc.constantFrom('GET', 'POST', 'HEAD');
  const userAgent = fc.option(fc.oneof(fc.string(), fc.constantFrom(...golden.userAgents.map((e) => e.ua))), {
    nil: undefined,
  });

  it('a result is a bot exactly when its device is bot, with a reason and no os/browser', () => {
    const classify = createClassifier();
    fc.assert(
      fc.property(method, userAgent, (m, ua) => {
        const result = classify(m, ua);
        expect(result.bot).toBe(result.device === 'bot');
        if (result.bot) {
          expect(result.botReason).toMatch(/^(head|no_user_agent|isbot|preview:[a-z]+)$/);
          expect(result.os).toBeNull();
          expect(result.browser).toBeNull();
        } else {
          expect(result.botReason).toBeNull();
          expect(['mobile', 'tablet', 'desktop', 'other']).toContain(result.device);
        }
      }),
    );
  });

  it('is deterministic across classifiers and returns the cached object on a repeat', () => {
    const a = createClassifier();
    const b = createClassifier({ cacheSize: 1 });
    fc.assert(
      fc.property(method, userAgent, (m, ua) => {
        const first = a(m, ua);
        expect(b(m, ua)).toEqual(first);
        expect(a(m, ua)).toBe(first);
      }),
    );
  });

  it('names WhatsApp for any versioned WhatsApp/ preview user agent', () => {
    const classify = createClassifier();
    const version = fc
      .array(fc.nat({ max: 9999 }), { minLength: 2, maxLength: 4 })
      .map((parts) => parts.join('.'));
    fc.assert(
      fc.property(version, fc.constantFrom('A', 'i', 'W'), (v, platform) => {
        fc.pre(v !== '2');
        expect(classify('GET', `WhatsApp/${v} ${platform}`).botReason).toBe('preview:whatsapp');
      }),
    );
  });
});

describe(`visitorHash (${HOT_PATH}, step 3: salted hash of IP + user agent)`, () => {
  const salt = 'salt-2026-07-20';
  const ip = '203.0.113.7';

  it('is deterministic, 22 base64url characters, and does not contain the IP', () => {
    const hash = visitorHash(salt, ip, IPHONE_SAFARI);
    expect(hash).toBe(visitorHash(salt, ip, IPHONE_SAFARI));
    expect(hash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(hash).not.toContain(ip);
  });

  it('is SHA-256 over salt, ip and user agent joined by newlines (pinned)', async () => {
    const { createHash } = await import('node:crypto');
    const expected = createHash('sha256')
      .update(`${salt}\n${ip}\n${IPHONE_SAFARI}`)
      .digest('base64url')
      .slice(0, 22);
    expect(visitorHash(salt, ip, IPHONE_SAFARI)).toBe(expected);
  });

  it('changes with the salt, the IP and the user agent', () => {
    const base = visitorHash(salt, ip, IPHONE_SAFARI);
    expect(visitorHash('salt-2026-07-21', ip, IPHONE_SAFARI)).not.toBe(base);
    expect(visitorHash(salt, '203.0.113.8', IPHONE_SAFARI)).not.toBe(base);
    expect(visitorHash(salt, ip, WINDOWS_CHROME)).not.toBe(base);
  });

  it('keeps ip and user agent apart (no ambiguity at the boundary)', () => {
    expect(visitorHash(salt, '10.0.0.1', '2 Foo')).not.toBe(visitorHash(salt, '10.0.0.12', ' Foo'));
  });

  it('hashes an IPv4-mapped IPv6 address like its IPv4 form, and IPv6 case-insensitively', () => {
    expect(visitorHash(salt, '::ffff:203.0.113.7', MAC_SAFARI)).toBe(visitorHash(salt, ip, MAC_SAFARI));
    expect(visitorHash(salt, '::FFFF:203.0.113.7', MAC_SAFARI)).toBe(visitorHash(salt, ip, MAC_SAFARI));
    expect(visitorHash(salt, '2001:DB8::1', MAC_SAFARI)).toBe(visitorHash(salt, '2001:db8::1', MAC_SAFARI));
  });

  it('differs across salts for any visitor (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.ipV4(),
        fc.string(),
        (s1, s2, address, ua) => {
          fc.pre(s1 !== s2);
          const h1 = visitorHash(s1, address, ua);
          expect(h1).toMatch(/^[A-Za-z0-9_-]{22}$/);
          expect(visitorHash(s1, address, ua)).toBe(h1);
          expect(visitorHash(s2, address, ua)).not.toBe(h1);
        },
      ),
    );
  });

  it('refuses an empty salt (missing_field on salt)', () => {
    try {
      visitorHash('', ip, IPHONE_SAFARI);
      expect.unreachable('visitorHash should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ChatmarkError);
      expect((error as ChatmarkError).code).toBe('missing_field');
      expect((error as ChatmarkError).field).toBe('salt');
    }
  });
});

describe(`referrerHost (${HOT_PATH}, step 3: referrer host, never the URL)`, () => {
  it.each([
    ['https://www.google.com/', 'www.google.com'],
    ['https://L.Instagram.COM/?u=https%3A%2F%2Fexample.com%2F&e=AT0', 'l.instagram.com'],
    ['http://m.facebook.com/profile.php?id=100&email=ana%40example.com', 'm.facebook.com'],
    ['https://user:secret@example.com:8443/private/path#frag', 'example.com'],
    ['HTTPS://EXAMPLE.COM', 'example.com'],
    ['https://[2001:DB8::1]:8080/', '[2001:db8::1]'],
    ['http://203.0.113.7/', '203.0.113.7'],
    ['https://bücher.example/', 'xn--bcher-kva.example'],
    ['https://t.co/AbC123', 't.co'],
  ])('%s → %s', (referer, host) => {
    expect(referrerHost(referer)).toBe(host);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['an Android app referrer', 'android-app://com.google.android.gm/'],
    ['ftp', 'ftp://files.example.com/'],
    ['javascript', 'javascript:alert(1)'],
    ['about:blank', 'about:blank'],
    ['not a URL', 'not a url'],
    ['a scheme without a host', 'https://'],
    [
      'a host longer than DNS allows',
      `https://${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(80)}.com/`,
    ],
  ])('%s → null', (_what, referer) => {
    expect(referrerHost(referer)).toBeNull();
  });

  it('returns exactly the URL hostname for any web URL, never a path, query or credentials', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const host = referrerHost(url);
        expect(host).toBe(new URL(url).hostname);
        expect(host).not.toMatch(/[/?#@]/);
      }),
    );
  });
});

describe(`adClickIds (${HOT_PATH}, step 3: ad click ids kept for conversion upload)`, () => {
  it('lists the six ad platforms click ids in order', () => {
    expect(AD_CLICK_ID_PARAMS).toEqual(['gclid', 'gbraid', 'wbraid', 'fbclid', 'ttclid', 'msclkid']);
  });

  const long = 'x'.repeat(600);
  it.each([
    ['one id among UTM tags', 'utm_source=google&gclid=Cj0KCQjw&utm_medium=cpc', { gclid: 'Cj0KCQjw' }],
    [
      'all six',
      'gclid=g&gbraid=gb&wbraid=wb&fbclid=IwAR0&ttclid=tt&msclkid=ms',
      { gclid: 'g', gbraid: 'gb', wbraid: 'wb', fbclid: 'IwAR0', ttclid: 'tt', msclkid: 'ms' },
    ],
    ['trimmed values', 'fbclid=+IwAR0abc%20', { fbclid: 'IwAR0abc' }],
    ['capped at 512 characters', `ttclid=${long}`, { ttclid: 'x'.repeat(512) }],
    ['the first of a repeated parameter', 'gclid=first&gclid=second', { gclid: 'first' }],
    ['empty values skipped', 'gclid=&msclkid=%20&fbclid=ok', { fbclid: 'ok' }],
  ])('URLSearchParams: %s', (_what, query, expected) => {
    expect(adClickIds(new URLSearchParams(query))).toEqual(expected);
  });

  it.each([
    ['no parameters', ''],
    ['only UTM tags', 'utm_source=tiktok&utm_campaign=spring'],
    ['empty and blank ids', 'gclid=&ttclid=%20%20'],
    ['names in another case (the platforms send lowercase)', 'GCLID=abc&FbClId=def'],
  ])('URLSearchParams with %s → null', (_what, query) => {
    expect(adClickIds(new URLSearchParams(query))).toBeNull();
  });

  it.each<[string, Record<string, unknown>, Record<string, string> | null]>([
    ['a parsed query object', { ttclid: ' E.C.P.abc ', utm_source: 'tiktok' }, { ttclid: 'E.C.P.abc' }],
    ['a repeated parameter as an array', { gclid: ['first', 'second'] }, { gclid: 'first' }],
    ['non-string values ignored', { gclid: 42, fbclid: { nested: 'x' }, msclkid: [7] }, null],
    [
      'inherited properties ignored',
      Object.create({ gclid: 'from-prototype' }) as Record<string, unknown>,
      null,
    ],
    ['an empty object', {}, null],
    ['a capped value', { msclkid: long }, { msclkid: 'x'.repeat(512) }],
  ])('record: %s', (_what, query, expected) => {
    expect(adClickIds(query)).toEqual(expected);
  });

  it('never returns an empty object, and every value is trimmed, non-empty and ≤ 512 (property)', () => {
    const name = fc.constantFrom(...AD_CLICK_ID_PARAMS, 'utm_source', 'ref', 'cm_click');
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.string({ maxLength: 700 }))), (pairs) => {
        const result = adClickIds(new URLSearchParams(pairs));
        if (result === null) return;
        expect(Object.keys(result).length).toBeGreaterThan(0);
        for (const [key, value] of Object.entries(result)) {
          expect(AD_CLICK_ID_PARAMS).toContain(key);
          expect(value).toBe(value.trim());
          expect(value.length).toBeGreaterThan(0);
          expect(value.length).toBeLessThanOrEqual(512);
        }
      }),
    );
  });
});
