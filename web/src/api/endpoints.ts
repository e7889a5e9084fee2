import type { ATTRIBUTION_GROUP_BYS, GroupBy } from '../../../src/domain/reports/params.js';
import { ApiError, apiRequest } from './client.js';
import type { Campaign, CampaignList, Changelog } from '../../../src/http/contract/campaigns.js';
import type {
  Baseline,
  CompareBody,
  Comparison,
  Experiment,
  ExperimentBody,
  ExperimentList,
  ExperimentResults,
  ReviewDay,
  ReviewNotes,
  Reviews,
} from '../../../src/http/contract/experiments.js';
import type { ApiKey, CreatedKey, KeyList, Role } from '../../../src/http/contract/keys.js';
import type { Link, LinkBody, LinkList, LinkPreview, LinkStats } from '../../../src/http/contract/links.js';
import type {
  AttributionModel,
  AttributionReport,
  FunnelReport,
} from '../../../src/http/contract/reports.js';
import type { WebhookSetup } from '../../../src/http/contract/settings.js';

/** One typed function per API endpoint the dashboard calls; hooks.ts wraps the reads. */

export const getCampaigns = (signal?: AbortSignal) =>
  apiRequest<CampaignList>('GET', '/api/campaigns', { signal }).then((r) => r.campaigns);

export const getCampaign = (id: number, signal?: AbortSignal) =>
  apiRequest<Campaign>('GET', `/api/campaigns/${id}`, { signal });

export const createCampaign = (body: { name: string; owner: string; slug?: string }) =>
  apiRequest<Campaign>('POST', '/api/campaigns', { body });

export const getCampaignChangelog = (id: number, signal?: AbortSignal) =>
  apiRequest<Changelog>('GET', `/api/campaigns/${id}/changelog`, { signal }).then((r) => r.changes);

export interface LinkQuery {
  campaignId?: number | undefined;
  archived?: boolean | undefined;
}

export function linksPath(query: LinkQuery = {}): string {
  const params = new URLSearchParams();
  if (query.campaignId !== undefined) params.set('campaignId', String(query.campaignId));
  if (query.archived) params.set('archived', 'true');
  const qs = params.toString();
  return qs ? `/api/links?${qs}` : '/api/links';
}

export const getLinks = (query: LinkQuery = {}, signal?: AbortSignal) =>
  apiRequest<LinkList>('GET', linksPath(query), { signal }).then((r) => r.links);

export const getLinkStats = (id: number, signal?: AbortSignal) =>
  apiRequest<LinkStats>('GET', `/api/links/${id}/stats`, { signal });

export const previewLink = (body: LinkBody, signal?: AbortSignal) =>
  apiRequest<LinkPreview>('POST', '/api/links/preview', { body, signal });

export const createLink = (body: LinkBody) => apiRequest<Link>('POST', '/api/links', { body });

export const archiveLink = (id: number) => apiRequest<Link>('DELETE', `/api/links/${id}`);

export const getKeys = (signal?: AbortSignal) =>
  apiRequest<KeyList>('GET', '/api/keys', { signal }).then((r) => r.keys);

export const createKey = (body: { name: string; role: Role }) =>
  apiRequest<CreatedKey>('POST', '/api/keys', { body });

export const revokeKey = (id: number) => apiRequest<ApiKey>('DELETE', `/api/keys/${id}`);

export const getWebhookSetup = (signal?: AbortSignal) =>
  apiRequest<WebhookSetup>('GET', '/api/settings/webhooks', { signal }).then((r) => r.webhooks);

/** How GET /api/reports/funnel can group its rows (`link`: by the link's short code). */
export type FunnelGroupBy = GroupBy;

export interface FunnelQuery {
  /** One campaign's rows; every campaign's without it. */
  campaignId?: number | undefined;
  groupBy: FunnelGroupBy;
  /** ISO times; the server's default period is the 30 days before now. */
  from?: string | undefined;
  to?: string | undefined;
}

export function funnelPath(query: FunnelQuery): string {
  const params = new URLSearchParams();
  if (query.campaignId !== undefined) params.set('campaignId', String(query.campaignId));
  params.set('groupBy', query.groupBy);
  if (query.from !== undefined) params.set('from', query.from);
  if (query.to !== undefined) params.set('to', query.to);
  return `/api/reports/funnel?${params.toString()}`;
}

export const getFunnel = (query: FunnelQuery, signal?: AbortSignal) =>
  apiRequest<FunnelReport>('GET', funnelPath(query), { signal });

export interface AttributionQuery {
  groupBy: (typeof ATTRIBUTION_GROUP_BYS)[number];
  model: AttributionModel;
  /** ISO dates; `to` is inclusive. */
  from: string;
  to: string;
  /** The click and chat-start window, e.g. `30d`. */
  window: string;
}

export function attributionPath(query: AttributionQuery): string {
  const params = new URLSearchParams({
    groupBy: query.groupBy,
    model: query.model,
    from: query.from,
    to: query.to,
    window: query.window,
  });
  return `/api/reports/attribution?${params.toString()}`;
}

export const getAttribution = (query: AttributionQuery, signal?: AbortSignal) =>
  apiRequest<AttributionReport>('GET', attributionPath(query), { signal });

export const compareArms = (body: CompareBody, signal?: AbortSignal) =>
  apiRequest<Comparison>('POST', '/api/experiments/compare', { body, signal });

export const getExperiments = (campaignId: number, signal?: AbortSignal) =>
  apiRequest<ExperimentList>('GET', `/api/campaigns/${campaignId}/experiments`, {
    signal,
  }).then((r) => r.experiments);

export const createExperiment = (campaignId: number, body: ExperimentBody) =>
  apiRequest<Experiment>('POST', `/api/campaigns/${campaignId}/experiments`, { body });

export const getExperimentResults = (id: number, signal?: AbortSignal) =>
  apiRequest<ExperimentResults>('GET', `/api/experiments/${id}/results`, { signal });

/** The campaign's latest baseline snapshot, or null when none was taken. */
export const getBaseline = (campaignId: number, signal?: AbortSignal) =>
  apiRequest<Baseline>('GET', `/api/campaigns/${campaignId}/baseline`, { signal }).catch((error: unknown) => {
    // A missing campaign says `campaign_not_found` instead.
    if (error instanceof ApiError && error.code === 'baseline_not_found') return null;
    throw error;
  });

export const takeBaseline = (campaignId: number) =>
  apiRequest<Baseline>('POST', `/api/campaigns/${campaignId}/baseline`);

export const getReviews = (campaignId: number, signal?: AbortSignal) =>
  apiRequest<Reviews>('GET', `/api/campaigns/${campaignId}/reviews`, { signal });

export const saveReviewNotes = (campaignId: number, day: ReviewDay, notes: string) =>
  apiRequest<ReviewNotes>('PUT', `/api/campaigns/${campaignId}/reviews/${day}`, { body: { notes } });

/**
 * Checks a key and finds its role without an endpoint that says it (a `GET /api/me` would):
 * GET /api/campaigns proves the key works; GET /api/keys answers only admins; an empty
 * POST /api/links is refused with 403 for a viewer before its body is read, and with a
 * validation error (nothing written) for an editor.
 *
 * @example await detectRole('cm_…') // 'editor'
 */
export async function detectRole(key: string): Promise<Role> {
  await apiRequest('GET', '/api/campaigns', { key });
  try {
    await apiRequest('GET', '/api/keys', { key });
    return 'admin';
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403) throw error;
  }
  try {
    await apiRequest('POST', '/api/links', { key, body: {} });
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return 'viewer';
    if (error instanceof ApiError && error.status >= 400 && error.status < 500) return 'editor';
    throw error;
  }
  // Not reached: an empty body is never a valid link.
  return 'editor';
}
