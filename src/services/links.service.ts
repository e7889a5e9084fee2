import { randomBytes } from 'node:crypto';
import { buildLink, isChannel } from '../domain/channels/index.js';
import type { ChannelLink } from '../domain/channels/types.js';
import { ChatmarkError } from '../domain/errors.js';
import { serializeHttpUrl } from '../domain/http-url.js';
import { buildTemplate } from '../domain/destination.js';
import { type CampaignRecord, getCampaign } from '../store/campaigns.repository.js';
import { type Db, isUniqueViolation } from '../store/db.js';
import { bumpDayVersions } from '../store/report-slices.repository.js';
import { refreshTouchesOfLink } from '../store/touches.repository.js';
import {
  getLink,
  insertLink,
  type LinkFields,
  type LinkPatch,
  type LinkRecord,
  listLinks,
  updateLink,
} from '../store/links.repository.js';

/** Short codes: 7 characters without look-alikes (no 0/o, 1/l/i), ~3.4e10 codes. */
const CODE_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const CODE_LENGTH = 7;
const CUSTOM_CODE = /^[A-Za-z0-9_-]{3,64}$/;

/** Paths the server owns; a custom code may not shadow them (compared case-insensitively). */
export const RESERVED_CODES: ReadonlySet<string> = new Set([
  'api',
  'docs',
  'healthz',
  'metrics',
  'webhooks',
  'openapi',
  'openapi.json',
  'p.gif',
  'static',
  'assets',
  'app',
  'login',
  'logout',
  'settings',
  'admin',
  'favicon.ico',
  'robots.txt',
  'index.html',
]);

export function randomCode(): string {
  const bytes = randomBytes(CODE_LENGTH * 2);
  let code = '';
  for (const byte of bytes) {
    // Rejection sampling keeps every character equally likely.
    if (byte >= 256 - (256 % CODE_ALPHABET.length)) continue;
    code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
    if (code.length === CODE_LENGTH) return code;
  }
  return code.length === CODE_LENGTH ? code : randomCode();
}

export function validateCustomCode(code: string): string {
  if (!CUSTOM_CODE.test(code)) {
    throw new ChatmarkError(
      'invalid_code',
      'A custom code is 3–64 characters of A–Z, a–z, 0–9, _ and -',
      'code',
    );
  }
  if (RESERVED_CODES.has(code.toLowerCase())) {
    throw new ChatmarkError('reserved_code', `"${code}" is reserved by the server`, 'code');
  }
  return code;
}

export interface LinkInput {
  campaignId?: number | null | undefined;
  channel: string;
  target: Record<string, string>;
  text?: string | null | undefined;
  utm?: Record<string, string> | undefined;
  variant?: string | null | undefined;
  code?: string | undefined;
  expiresAt?: number | null | undefined;
  maxClicks?: number | null | undefined;
}

/** A placeholder token in previews, where each click's own token will stand. */
export const PREVIEW_TOKEN = 'XXXX-XXXX';

export interface LinkPreview {
  channel: string;
  destinationPreview: string;
  appUrl: string | null;
  carrier: ChannelLink['carrier'] | 'cm_click';
  text: string | null;
  warnings: string[];
}

/**
 * Validates a link the way the redirect will build it, and shows where a click goes (with a
 * placeholder where each click's token will be). Throws the builders' errors with their codes.
 */
export function previewLink(input: LinkInput, campaign: CampaignRecord | null): LinkPreview {
  const link: LinkRecord = {
    id: 0,
    code: input.code ?? '',
    campaignId: input.campaignId ?? null,
    channel: input.channel,
    target: input.target,
    text: input.text ?? null,
    utm: input.utm ?? {},
    variant: input.variant ?? null,
    expiresAt: null,
    maxClicks: null,
    archivedAt: null,
    createdBy: null,
    createdAt: 0,
    updatedAt: 0,
    version: 0,
  };
  if (input.channel === 'web') {
    const url = input.target.url;
    if (!url) throw new ChatmarkError('missing_field', 'A web link needs target.url', 'url');
    if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
      throw new ChatmarkError('invalid_url', 'target.url must be an http(s) URL', 'url');
    }
    serializeHttpUrl(url);
    const template = buildTemplate(link, campaign);
    return {
      channel: 'web',
      destinationPreview: template.url(PREVIEW_TOKEN.replace('-', '')),
      appUrl: null,
      carrier: 'cm_click',
      text: null,
      warnings: [],
    };
  }
  if (!isChannel(input.channel)) {
    throw new ChatmarkError('invalid_channel', `Unknown channel "${input.channel}"`, 'channel');
  }
  const built = buildLink(input.channel, {
    ...input.target,
    text: input.text ?? undefined,
    ref: PREVIEW_TOKEN,
  });
  return {
    channel: input.channel,
    destinationPreview: built.url,
    appUrl: built.appUrl,
    carrier: built.carrier,
    text: built.text,
    warnings: built.warnings,
  };
}

/**
 * The target as stored: its URLs (a web link's `url`, a Telegram `shareUrl`) in their serialised
 * ASCII form, so every destination built from them fits a `Location` header.
 */
function storedTarget(target: Record<string, string>): Record<string, string> {
  const stored = { ...target };
  if (stored.url) stored.url = serializeHttpUrl(stored.url, 'url');
  if (stored.shareUrl) stored.shareUrl = serializeHttpUrl(stored.shareUrl, 'shareUrl');
  return stored;
}

/**
 * The preview of a stored link, for views and lists: a row that no longer builds (written before
 * a rule it breaks) shows an empty destination and a warning instead of failing the whole list.
 */
export function previewStoredLink(link: LinkRecord, campaign: CampaignRecord | null): LinkPreview {
  try {
    return previewLink(link, campaign);
  } catch (error) {
    if (!(error instanceof ChatmarkError)) throw error;
    return {
      channel: link.channel,
      destinationPreview: '',
      appUrl: null,
      carrier: link.channel === 'web' ? 'cm_click' : 'none',
      text: link.text,
      warnings: [`This link no longer builds (${error.code}: ${error.message}); edit its target`],
    };
  }
}

async function campaignOf(db: Db, campaignId: number | null | undefined): Promise<CampaignRecord | null> {
  if (campaignId === null || campaignId === undefined) return null;
  const campaign = await getCampaign(db, campaignId);
  if (!campaign) throw new ChatmarkError('unknown_campaign', `No campaign ${campaignId}`, 'campaignId');
  return campaign;
}

export async function createLink(
  db: Db,
  input: LinkInput,
  actor: number | null,
  now: number,
): Promise<{ link: LinkRecord; preview: LinkPreview }> {
  const campaign = await campaignOf(db, input.campaignId);
  const preview = previewLink(input, campaign);
  if (input.expiresAt !== undefined && input.expiresAt !== null && input.expiresAt <= now) {
    throw new ChatmarkError('invalid_expiry', 'expiresAt must be in the future', 'expiresAt');
  }
  const fields: Omit<LinkFields, 'code'> = {
    campaignId: campaign?.id ?? null,
    channel: input.channel,
    target: storedTarget(input.target),
    text: input.text ?? null,
    utm: input.utm ?? {},
    variant: input.variant ?? null,
    expiresAt: input.expiresAt ?? null,
    maxClicks: input.maxClicks ?? null,
    createdBy: actor,
  };
  if (input.code !== undefined) {
    const code = validateCustomCode(input.code);
    try {
      return { link: await insertLink(db, { ...fields, code }, now), preview };
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ChatmarkError('code_taken', `The code "${code}" is taken`, 'code');
      throw error;
    }
  }
  for (let attempt = 0; ; attempt += 1) {
    try {
      return { link: await insertLink(db, { ...fields, code: randomCode() }, now), preview };
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
    }
  }
}

export async function requireLink(db: Db, id: number): Promise<LinkRecord> {
  const link = await getLink(db, id);
  if (!link) throw new ChatmarkError('link_not_found', `No link ${id}`, 'id');
  return link;
}

/** Applies a patch after validating the link as it would then be. */
export async function patchLink(db: Db, id: number, patch: LinkPatch, now: number): Promise<LinkRecord> {
  const current = await requireLink(db, id);
  const next = { ...current, ...patch };
  const campaign = await campaignOf(db, next.campaignId);
  previewLink({ ...next, code: current.code }, campaign);
  const stored = patch.target === undefined ? patch : { ...patch, target: storedTarget(patch.target) };
  const updated = await updateLink(db, id, stored, now);
  if (!updated) throw new ChatmarkError('link_not_found', `No link ${id}`, 'id');
  if (updated.campaignId !== current.campaignId) await refreshTouchesOfLink(db, id);
  // A link's channel, variant or campaign are report keys: every cached report slice is stale.
  await bumpDayVersions(db, 'all');
  return updated;
}

export async function archiveLink(db: Db, id: number, now: number): Promise<LinkRecord> {
  const current = await requireLink(db, id);
  if (current.archivedAt !== null) return current;
  return (await updateLink(db, id, { archivedAt: now }, now)) ?? current;
}

export { listLinks };
export { clickStats, listClicks } from '../store/clicks.repository.js';
