import { buildLink } from './channels/index.js';
import type { ChannelLink, LinkRequest } from './channels/types.js';
import { ChatmarkError } from './errors.js';
import { asciiUrl } from './http-url.js';
import { applyUtmDefaults, type UtmValues } from './utm.js';

/** What a destination is built from: a stored link's fields (store/links.repository.ts `LinkRecord` has them). */
export interface DestinationLink {
  /** A chat channel (`whatsapp`, …) or `web`. */
  channel: string;
  /** The channel's fields (`phone`, `username`, …) or `url` for web. */
  target: Record<string, string>;
  text: string | null;
  utm: Record<string, string>;
  variant: string | null;
}

/** The campaign fields a web link's UTM defaults come from (store/campaigns.repository.ts `CampaignRecord` has them). */
export interface DestinationCampaign {
  slug: string;
  channels: readonly string[];
  utm: Record<string, string>;
}

/**
 * Where a click goes. Built once per link (and SMS platform) as a template split around the ref
 * token, so a click costs one string concatenation, not a link build (DESIGN.md: keep per-request
 * work cheap).
 */
export interface DestinationTemplate {
  /** `https` destinations are answered with a 302; app schemes (`viber:`, `sms:`, `mailto:`) with a page. */
  readonly kind: 'redirect' | 'app-page';
  /** Splices the click's token (printed form) or click id into the destination. */
  url(token: string): string;
  /** The destination without a token, for a click that cannot be recorded (no click number). */
  readonly untracked: string;
  /** Where the app page sends people who don't have the app, when there is such a place. */
  readonly fallback: string | null;
}

/** Install pages for the channels whose only link is an app scheme. */
const APP_FALLBACK: Readonly<Record<string, string>> = { viber: 'https://www.viber.com/download/' };

/** A token of the right shape that appears nowhere else, to find where the real one goes. */
const MARKER = 'QQQQ-QQQQ';

/** The UTM defaults of a web link: the link's own, then the campaign's (the destination's own values win over both). */
export function utmDefaults(link: DestinationLink, campaign: DestinationCampaign | null): UtmValues {
  const medium =
    link.utm.medium ??
    campaign?.utm.medium ??
    (campaign?.channels.length === 1 ? campaign.channels[0] : undefined);
  return {
    source: link.utm.source ?? campaign?.utm.source ?? 'chatmark',
    medium,
    campaign: link.utm.campaign ?? campaign?.utm.campaign ?? campaign?.slug,
    term: link.utm.term ?? campaign?.utm.term,
    content: link.utm.content ?? campaign?.utm.content ?? link.variant ?? undefined,
  };
}

/** The chat link of a stored link for a given ref token (validates like the link builder does). */
export function chatLink(
  link: DestinationLink,
  ref: string | undefined,
  platform?: 'ios' | 'android',
): ChannelLink {
  const request: LinkRequest = { ...link.target, text: link.text ?? undefined, ref };
  if (
    link.channel === 'sms' &&
    platform &&
    (request.platform === undefined || request.platform === 'generic')
  ) {
    request.platform = platform;
  }
  return buildLink(link.channel as Parameters<typeof buildLink>[0], request);
}

/** Splits the built link around the marker; rebuilds per click in the odd case the marker isn't found once. */
function splice(url: string, rebuild: (token: string) => string): (token: string) => string {
  const at = url.indexOf(MARKER);
  if (at < 0 || url.indexOf(MARKER, at + 1) >= 0) return rebuild;
  const before = url.slice(0, at);
  const after = url.slice(at + MARKER.length);
  return (token) => before + token + after;
}

/** Appends `cm_click` before the fragment, with `&` or `?` as the URL needs. */
function withClickId(url: string): (clickId: string) => string {
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash);
  const joiner = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  const head = `${base}${joiner}cm_click=`;
  return (clickId) => head + clickId + fragment;
}

export function buildTemplate(
  link: DestinationLink,
  campaign: DestinationCampaign | null,
  platform?: 'ios' | 'android',
): DestinationTemplate {
  if (link.channel === 'web') {
    const url = link.target.url;
    if (!url) throw new ChatmarkError('missing_field', 'A web link needs a url', 'url');
    // Serialised here too: rows stored before URLs were serialised on the way in may hold raw
    // non-ASCII text, which a `Location` header cannot carry.
    const untracked = applyUtmDefaults(asciiUrl(url), utmDefaults(link, campaign));
    return { kind: 'redirect', url: withClickId(untracked), untracked, fallback: null };
  }
  const built = chatLink(link, MARKER, platform);
  const https = built.url.startsWith('https://');
  return {
    kind: https ? 'redirect' : 'app-page',
    url: splice(built.url, (token) => chatLink(link, token, platform).url),
    untracked: chatLink(link, undefined, platform).url,
    fallback: https ? null : (APP_FALLBACK[link.channel] ?? null),
  };
}
