import type { RefCodec } from '../domain/ref-token.js';
import type { ClickRecord } from '../store/clicks.repository.js';
import { adClickIds, createClassifier, referrerHost, visitorHash } from './classify.js';
import type { ClickNumbers } from './click-numbers.js';
import type { DailySalt } from './daily-salt.js';
import { buildTemplate, type DestinationTemplate } from '../domain/destination.js';
import type { ClickJournal } from './journal.js';
import type { ClickLimit } from './click-limit.js';
import type { LinkCache, ResolvedLink } from './link-cache.js';
import { gonePage, notFoundPage, openAppPage, previewPage } from './pages.js';

export interface RedirectRequest {
  method: string;
  code: string;
  ip: string;
  userAgent: string | undefined;
  referer: string | undefined;
  query: Record<string, unknown>;
}

/** `clickId` is '' (and `committed` false) when no click could be made: see `untracked`. */
export type RedirectResult =
  | { status: 302; location: string; clickId: string; committed: boolean }
  | { status: 200; html: string; clickId: string; committed: boolean; preview?: true }
  | { status: 404 | 410; html: string };

export interface RedirectorDeps {
  links: LinkCache;
  limit: ClickLimit;
  codec: RefCodec;
  clickNumbers: ClickNumbers;
  journal: ClickJournal;
  salt: DailySalt;
  now: () => number;
}

const APP_NAMES: Readonly<Record<string, string>> = { viber: 'Viber', sms: 'Messages', email: 'Mail' };
const CHANNEL_NAMES: Readonly<Record<string, string>> = {
  whatsapp: 'WhatsApp',
  telegram: 'Telegram',
  viber: 'Viber',
  messenger: 'Messenger',
  instagram: 'Instagram',
  line: 'LINE',
  signal: 'Signal',
  sms: 'Messages',
  email: 'email',
};

/** The preview card of a capped link: its campaign's name and where it leads, in general terms. */
function preview({ link, campaign }: ResolvedLink): string {
  const where =
    link.channel === 'web' ? 'a web page' : `a chat on ${CHANNEL_NAMES[link.channel] ?? link.channel}`;
  return previewPage(campaign?.name ?? 'Chat link', `This link opens ${where}.`);
}

/**
 * The hot path (DESIGN.md): cache → classify → click → destination → journal → answer. Nothing
 * here waits on the store except the journal commit (and a cache miss).
 */
export function createRedirector(deps: RedirectorDeps) {
  const classify = createClassifier();
  // Templates live as long as the cache entry they were built from: a changed link is a new entry.
  const templates = new WeakMap<ResolvedLink, Map<string, DestinationTemplate>>();

  function templateFor(resolved: ResolvedLink, os: string | null): DestinationTemplate {
    const { link, campaign } = resolved;
    const platform =
      link.channel === 'sms' ? (os === 'iOS' ? 'ios' : os === 'Android' ? 'android' : undefined) : undefined;
    let byPlatform = templates.get(resolved);
    if (!byPlatform) {
      byPlatform = new Map();
      templates.set(resolved, byPlatform);
    }
    let template = byPlatform.get(platform ?? '');
    if (!template) {
      template = buildTemplate(link, campaign, platform);
      byPlatform.set(platform ?? '', template);
    }
    return template;
  }

  /** The answer for a click that cannot be recorded: the destination without a token. */
  function untracked(resolved: ResolvedLink, os: string | null, previewOnly: boolean): RedirectResult {
    if (previewOnly)
      return { status: 200, html: preview(resolved), clickId: '', committed: false, preview: true };
    const template = templateFor(resolved, os);
    if (template.kind === 'redirect')
      return { status: 302, location: template.untracked, clickId: '', committed: false };
    const appName = APP_NAMES[resolved.link.channel] ?? resolved.link.channel;
    return {
      status: 200,
      html: openAppPage(template.untracked, appName, template.fallback),
      clickId: '',
      committed: false,
    };
  }

  return async function redirect(request: RedirectRequest): Promise<RedirectResult> {
    const found = deps.links.get(request.code);
    const resolved = found instanceof Promise ? await found : found;
    if (!resolved) return { status: 404, html: notFoundPage() };
    const { link } = resolved;
    const now = deps.now();
    if (link.archivedAt !== null) return { status: 410, html: gonePage('archived') };
    if (link.expiresAt !== null && link.expiresAt <= now) return { status: 410, html: gonePage('expired') };
    if (resolved.exhausted) return { status: 410, html: gonePage('exhausted') };

    const kind = classify(request.method, request.userAgent);
    // A capped link's clicks are reserved before answering (atomic across servers); a preview
    // fetcher takes none and gets the preview card instead of the destination.
    const previewOnly = link.maxClicks !== null && kind.bot;
    if (link.maxClicks !== null && !kind.bot && !(await deps.limit.take(link.id, link.maxClicks))) {
      resolved.exhausted = true;
      return { status: 410, html: gonePage('exhausted') };
    }
    let number: number;
    try {
      const taken = deps.clickNumbers.take();
      number = typeof taken === 'number' ? taken : await taken;
    } catch {
      // No click number on hand (the store has been away longer than the reserved blocks last):
      // the click cannot be recorded, but a broken database must not break a campaign.
      return untracked(resolved, kind.os, previewOnly);
    }
    const saltNow = deps.salt.get(now);
    const salt = typeof saltNow === 'string' ? saltNow : await saltNow;
    const token = deps.codec.encode(number);

    const click: ClickRecord = {
      id: number,
      linkId: link.id,
      at: now,
      visitorHash: visitorHash(salt, request.ip, request.userAgent ?? ''),
      device: kind.device,
      os: kind.os,
      browser: kind.browser,
      referrerHost: referrerHost(request.referer),
      qr: request.query.qr === '1',
      bot: kind.bot,
      botReason: kind.botReason,
      country: null,
      adIds: adClickIds(request.query),
    };
    if (previewOnly) {
      const committed = await deps.journal.append(click);
      return { status: 200, html: preview(resolved), clickId: token, committed, preview: true };
    }
    const template = templateFor(resolved, kind.os);
    // The printed form `XXXX-XXXX` in chats; the canonical form as the web click id.
    const destination = template.url(
      link.channel === 'web' ? token : `${token.slice(0, 4)}-${token.slice(4)}`,
    );
    const committed = await deps.journal.append(click);
    if (template.kind === 'redirect')
      return { status: 302, location: destination, clickId: token, committed };
    const appName = APP_NAMES[link.channel] ?? link.channel;
    return {
      status: 200,
      html: openAppPage(destination, appName, template.fallback),
      clickId: token,
      committed,
    };
  };
}

export type Redirector = ReturnType<typeof createRedirector>;
