import * as crypto from 'node:crypto';
import { isbot } from 'isbot';
import { LRUCache } from 'lru-cache';
import UAParser from 'ua-parser-js';
import { ChatmarkError } from '../domain/errors.js';

/**
 * Step 2 and parts of step 3 of the redirect hot path (DESIGN.md "The redirect hot path"): is this
 * request a person or a machine, on what device, and the privacy-safe facts kept with the click.
 * Everything costly runs once per distinct user agent; a repeated user agent is one LRU lookup.
 */

export type DeviceType = 'mobile' | 'tablet' | 'desktop' | 'bot' | 'other';

/** What the redirect records about who asked. Results are shared and frozen: never mutate one. */
export interface RequestClass {
  readonly bot: boolean;
  /** `head`, `no_user_agent`, `preview:<app>` or `isbot`; null for people. */
  readonly botReason: string | null;
  readonly device: DeviceType;
  /** ua-parser-js names (`iOS`, `Android`, `Windows`, `Mac OS`, …); null for bots. */
  readonly os: string | null;
  /** ua-parser-js names (`Mobile Safari`, `Chrome`, `Instagram`, …); null for bots. */
  readonly browser: string | null;
}

export type Classifier = (method: string, userAgent: string | undefined) => RequestClass;

export const DEFAULT_CLASSIFIER_CACHE_SIZE = 5_000;

/**
 * User agents longer than this are classified but not cached, so that junk headers cannot make the
 * cache hold megabytes (real browsers and in-app webviews stay well under 600 characters, and
 * ua-parser-js reads only the first 500 anyway).
 */
const MAX_CACHED_UA_LENGTH = 1_024;

function botClass(botReason: string): RequestClass {
  return Object.freeze({ bot: true, botReason, device: 'bot', os: null, browser: null });
}

const HEAD_CLASS = botClass('head');
const NO_USER_AGENT_CLASS = botClass('no_user_agent');
const ISBOT_CLASS = botClass('isbot');

/**
 * The link-preview fetchers of messengers and social apps, tried in order before isbot so that the
 * reason names the app. Order matters where one agent borrows another's token: iMessage, LINE and
 * KakaoTalk send `facebookexternalhit`, Telegram's agent says `like TwitterBot`, and Signal sends a
 * bare `WhatsApp` (Signal-Android#9958, #13522; Signal-Desktop#5046) while WhatsApp's own fetcher
 * sends a full version (`WhatsApp/2.23.20.0 A`). The preview rules for WhatsApp and Viber are
 * anchored at the start: a person in those apps' in-app browsers sends a Mozilla/… user agent that
 * merely ends in `WhatsApp/…` or `Viber/…`.
 */
const PREVIEW_RULES: readonly (readonly [app: string, pattern: RegExp])[] = [
  ['imessage', /facebookexternalhit\/[\d.]+ facebot twitterbot\//i],
  ['line', /line-poker/i],
  ['kakaotalk', /kakaotalk-scrap/i],
  ['signal', /^whatsapp(?:\/2)?$/i],
  ['whatsapp', /^whatsapp\//i],
  ['telegram', /\btelegrambot\b/i],
  ['facebook', /facebookexternalhit|\bfacebot\b|facebookcatalog/i],
  ['slack', /slackbot|slack-imgproxy/i],
  ['discord', /discordbot/i],
  ['twitter', /twitterbot/i],
  ['linkedin', /linkedinbot/i],
  ['viber', /^viber\b/i],
  ['skype', /skypeuripreview/i],
  ['google', /google-pagerenderer|developers\.google\.com\/\+\/web\/snippet/i],
  ['pinterest', /pinterestbot|^pinterest\/\d/i],
  ['snapchat', /snap url preview service/i],
  ['reddit', /redditbot/i],
  ['bluesky', /bluesky cardyb/i],
  ['vk', /vkshare/i],
];

/** The rules with their results built once, so a preview fetcher allocates nothing even on a miss. */
const PREVIEW_FETCHERS = PREVIEW_RULES.map(([app, pattern]) => ({
  pattern,
  result: botClass(`preview:${app}`),
}));

/** OS names (lowercased) that mean a desktop or laptop when ua-parser-js reports no device type. */
const DESKTOP_OS = new Set([
  'windows',
  'mac os',
  'chromium os',
  'linux',
  'ubuntu',
  'kubuntu',
  'xubuntu',
  'lubuntu',
  'debian',
  'fedora',
  'suse',
  'opensuse',
  'gentoo',
  'arch',
  'slackware',
  'mandriva',
  'centos',
  'pclinuxos',
  'red hat',
  'redhat',
  'mint',
  'mageia',
  'deepin',
  'manjaro',
  'elementary os',
  'freebsd',
  'openbsd',
  'netbsd',
  'pc-bsd',
  'ghostbsd',
  'dragonfly',
  'solaris',
  'opensolaris',
  'haiku',
  'unix',
]);

function deviceOf(type: string | undefined, osName: string | undefined): DeviceType {
  if (type === 'mobile' || type === 'tablet') return type;
  if (type === undefined && osName !== undefined && DESKTOP_OS.has(osName.toLowerCase())) return 'desktop';
  // Smart TVs, consoles, wearables, embedded, XR, and whatever ua-parser-js cannot place.
  return 'other';
}

function classifyUserAgent(parser: UAParser, userAgent: string): RequestClass {
  if (userAgent.trim() === '') return NO_USER_AGENT_CLASS;
  for (const fetcher of PREVIEW_FETCHERS) {
    if (fetcher.pattern.test(userAgent)) return fetcher.result;
  }
  if (isbot(userAgent)) return ISBOT_CLASS;
  parser.setUA(userAgent);
  const os = parser.getOS().name;
  return Object.freeze({
    bot: false,
    botReason: null,
    device: deviceOf(parser.getDevice().type, os),
    os: os ?? null,
    browser: parser.getBrowser().name ?? null,
  });
}

/**
 * Builds the request classifier of the redirect hot path. HEAD requests are bots (`head`) whatever
 * the user agent; a missing user agent is a bot (`no_user_agent`); link-preview fetchers are
 * `preview:<app>`; other crawlers `isbot`. Results are cached per user-agent string in an LRU, so
 * a repeated user agent costs one map lookup and returns the same frozen object.
 *
 * @example
 * const classify = createClassifier();
 * classify('GET', 'WhatsApp/2.23.20.0 A'); // { bot: true, botReason: 'preview:whatsapp', device: 'bot', … }
 * classify('GET', iPhoneSafariUa);        // { bot: false, device: 'mobile', os: 'iOS', browser: 'Mobile Safari', … }
 */
export function createClassifier(options: { cacheSize?: number } = {}): Classifier {
  const cacheSize = options.cacheSize ?? DEFAULT_CLASSIFIER_CACHE_SIZE;
  if (!Number.isInteger(cacheSize) || cacheSize < 1) {
    throw new ChatmarkError(
      'invalid_option',
      `cacheSize must be a positive integer (got ${cacheSize})`,
      'cacheSize',
    );
  }
  const cache = new LRUCache<string, RequestClass>({ max: cacheSize });
  // One parser reused for every miss: setUA re-parses in place instead of building a new instance.
  const parser = new UAParser();

  return (method, userAgent) => {
    if (method === 'HEAD') return HEAD_CLASS;
    if (userAgent === undefined || userAgent === '') return NO_USER_AGENT_CLASS;
    const cached = cache.get(userAgent);
    if (cached !== undefined) return cached;
    const result = classifyUserAgent(parser, userAgent);
    if (userAgent.length <= MAX_CACHED_UA_LENGTH) cache.set(userAgent, result);
    return result;
  };
}

/** Node reports IPv4 peers as `::ffff:a.b.c.d` on dual-stack sockets; proxies send `a.b.c.d`. */
const IPV4_MAPPED_PREFIX = '::ffff:';

/**
 * The privacy-preserving visitor id: HMAC-SHA-256 keyed by the (daily rotated) salt over IP and user
 * agent, base64url, 22 characters (132 bits). The IP is neither returned nor kept; without the salt
 * the id cannot be recomputed from a guessed IP. An IPv4-mapped IPv6 address hashes like its IPv4
 * form so that the same visitor gets the same id behind or without a proxy.
 *
 * @example visitorHash(todaysSalt, '203.0.113.7', ua) // 22 base64url chars, same all day for this visitor
 */
export function visitorHash(salt: string, ip: string, userAgent: string): string {
  if (salt === '') throw new ChatmarkError('missing_field', 'A visitor-hash salt is required', 'salt');
  const lower = ip.toLowerCase();
  const address =
    lower.startsWith(IPV4_MAPPED_PREFIX) && lower.includes('.')
      ? lower.slice(IPV4_MAPPED_PREFIX.length)
      : lower;
  // The newline separates the fields unambiguously: it cannot occur in an address or a header value.
  // A salted SHA-256 rather than an HMAC: the salt is a random secret of the day, and the one-shot
  // `crypto.hash` costs a sixth of `createHmac` on the redirect hot path.
  return sha256(`${salt}\n${address}\n${userAgent}`).slice(0, 22);
}

/** `crypto.hash` (Node ≥ 20.12) where there is one, the stream API elsewhere. */
const sha256: (input: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (input) =>
        (crypto as unknown as { hash(a: string, d: string, e: string): string }).hash(
          'sha256',
          input,
          'base64url',
        )
    : (input) => crypto.createHash('sha256').update(input).digest('base64url');

/** Longest valid DNS name; anything longer is junk that should not reach the click table. */
const MAX_HOST_LENGTH = 253;

/**
 * The referrer's host only (lowercased, port and credentials dropped, `www.` kept), or null when
 * the Referer is missing, not a URL, or not http(s). Never the path or query: those can hold
 * personal data (search terms, e-mail addresses, tokens).
 *
 * @example referrerHost('https://L.Instagram.com/?u=https%3A%2F%2Fexample.com') === 'l.instagram.com'
 */
export function referrerHost(referer: string | undefined): string | null {
  // The prefix check spares the URL parser (and its exception) for app referrers and junk.
  if (referer === undefined || !/^https?:/i.test(referer)) return null;
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    return null;
  }
  const host = url.hostname;
  return host === '' || host.length > MAX_HOST_LENGTH ? null : host;
}

/** The click ids ad platforms append to a landing URL (DESIGN.md "The redirect hot path", step 3). */
export const AD_CLICK_ID_PARAMS = ['gclid', 'gbraid', 'wbraid', 'fbclid', 'ttclid', 'msclkid'] as const;
export type AdClickIdParam = (typeof AD_CLICK_ID_PARAMS)[number];

/** Real click ids are under 200 characters; the cap keeps a hostile query out of the click row. */
const MAX_AD_CLICK_ID_LENGTH = 512;

function firstString(value: unknown): string | null {
  if (typeof value === 'string') return value;
  // Parsed query objects turn a repeated parameter into an array; take the first, as URLSearchParams.get does.
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return null;
}

/**
 * The ad click ids present on the short-link request, trimmed and capped at 512 characters, kept so
 * that conversions can later be sent back to the ad platform; null when there are none. Accepts
 * URLSearchParams or a parsed query object (a repeated parameter counts by its first value).
 *
 * @example adClickIds(new URLSearchParams('gclid=Cj0KCQ&utm_source=google')) // { gclid: 'Cj0KCQ' }
 */
export function adClickIds(query: URLSearchParams | Record<string, unknown>): Record<string, string> | null {
  let found: Record<string, string> | null = null;
  for (const name of AD_CLICK_ID_PARAMS) {
    // Own properties only: a parsed query object must not pick up values from a prototype.
    const raw =
      query instanceof URLSearchParams
        ? query.get(name)
        : Object.hasOwn(query, name)
          ? firstString(query[name])
          : null;
    if (raw === null) continue;
    const value = raw.trim();
    if (value === '') continue;
    found ??= {};
    // trimEnd again after the cut, in case the cut lands inside a run of whitespace.
    found[name] =
      value.length > MAX_AD_CLICK_ID_LENGTH ? value.slice(0, MAX_AD_CLICK_ID_LENGTH).trimEnd() : value;
  }
  return found;
}
