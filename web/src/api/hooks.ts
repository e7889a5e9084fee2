import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ApiError } from './client.js';
import {
  type AttributionQuery,
  type FunnelGroupBy,
  type FunnelQuery,
  getAttribution,
  getBaseline,
  getCampaign,
  getCampaignChangelog,
  getCampaigns,
  getExperimentResults,
  getExperiments,
  getFunnel,
  getKeys,
  getLinks,
  getLinkStats,
  getReviews,
  getWebhookSetup,
  type LinkQuery,
  previewLink,
} from './endpoints.js';
import type { LinkBody, LinkPreview, LinkStats } from '../../../src/http/contract/links.js';
import type {
  AttributionModel,
  AttributionReport,
  FunnelReport,
} from '../../../src/http/contract/reports.js';

export interface FetchState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Loads again (after a write, say); keeps the old data on screen meanwhile. */
  reload: () => void;
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError('unexpected', error instanceof Error ? error.message : String(error), 0);
}

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

/**
 * Runs `load` when `key` changes (and on reload), aborting the previous call, and returns its
 * state. A null key skips loading. `key` stands for everything `load` depends on.
 *
 * @example const { data, loading } = useFetch(`campaign:${id}`, (signal) => getCampaign(id, signal));
 */
export function useFetch<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): FetchState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(key !== null);
  const [generation, setGeneration] = useState(0);
  // The latest `load` without making it a dependency: callers pass a new arrow on every render.
  const loadRef = useRef(load);
  useLayoutEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    if (key === null) {
      setData(undefined);
      setError(undefined);
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    loadRef.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (reason: unknown) => {
        if (controller.signal.aborted || isAbort(reason)) return;
        setError(asApiError(reason));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload };
}

export const useCampaigns = () => useFetch('campaigns', getCampaigns);

export const useCampaign = (id: number) => useFetch(`campaign:${id}`, (signal) => getCampaign(id, signal));

export const useCampaignChangelog = (id: number) =>
  useFetch(`changelog:${id}`, (signal) => getCampaignChangelog(id, signal));

export const useLinks = (query: LinkQuery = {}) =>
  useFetch(`links:${query.campaignId ?? ''}:${query.archived ? 1 : 0}`, (signal) => getLinks(query, signal));

export const useLinkStats = (id: number) => useFetch(`stats:${id}`, (signal) => getLinkStats(id, signal));

/** The stats of several links at once (a campaign's clicks per day). */
export const useLinksStats = (ids: readonly number[] | undefined) =>
  useFetch<LinkStats[]>(ids === undefined ? null : `stats:${ids.join(',')}`, (signal) =>
    Promise.all((ids ?? []).map((id) => getLinkStats(id, signal))),
  );

export const useKeys = (enabled: boolean) => useFetch(enabled ? 'keys' : null, getKeys);

/** Which webhook secrets the server has (admins only, so `enabled` is false for other keys). */
export const useWebhookSetup = (enabled: boolean) =>
  useFetch(enabled ? 'settings:webhooks' : null, getWebhookSetup);

/**
 * The funnel report of a campaign. `data` is null while the server has no funnel endpoint
 * (404 `route_not_found`), so pages can show a placeholder instead of an error.
 */
export const useFunnel = (campaignId: number, groupBy: FunnelGroupBy) =>
  useFetch<FunnelReport | null>(`funnel:${campaignId}:${groupBy}`, (signal) =>
    getFunnel({ campaignId, groupBy }, signal).catch((error: unknown) => {
      if (error instanceof ApiError && error.code === 'route_not_found') return null;
      throw error;
    }),
  );

/** The funnel by link (short code) over a period; a null query (no links yet) loads nothing. */
export const useFunnelByLink = (query: Omit<FunnelQuery, 'groupBy'> | null) =>
  useFetch(
    query === null ? null : `funnel-links:${query.campaignId ?? ''}:${query.from ?? ''}:${query.to ?? ''}`,
    (signal) => getFunnel({ ...query, groupBy: 'link' }, signal),
  );

/** A campaign's experiments; a null id (no campaign chosen yet) loads nothing. */
export const useExperiments = (campaignId: number | null) =>
  useFetch(campaignId === null ? null : `experiments:${campaignId}`, (signal) =>
    getExperiments(campaignId ?? 0, signal),
  );

export const useExperimentResults = (id: number) =>
  useFetch(`experiment-results:${id}`, (signal) => getExperimentResults(id, signal));

/** The campaign's baseline snapshot; `data` is null when none was taken yet. */
export const useBaseline = (campaignId: number) =>
  useFetch(`baseline:${campaignId}`, (signal) => getBaseline(campaignId, signal));

export const useReviews = (campaignId: number) =>
  useFetch(`reviews:${campaignId}`, (signal) => getReviews(campaignId, signal));

/**
 * The attribution report once per model for the same period, grouping and window, in the order
 * of `models`, so the page can set the models side by side.
 */
export const useAttribution = (query: Omit<AttributionQuery, 'model'>, models: readonly AttributionModel[]) =>
  useFetch<AttributionReport[]>(
    `attribution:${query.groupBy}:${query.from}:${query.to}:${query.window}:${models.join(',')}`,
    (signal) => Promise.all(models.map((model) => getAttribution({ ...query, model }, signal))),
  );

/**
 * The preview of a link as the user types: asks the server `delay` ms after the last change,
 * and never shows an answer to an older body than the one on screen. A null body clears it.
 */
export function usePreview(body: LinkBody | null, delay = 300): FetchState<LinkPreview> {
  const serialized = body === null ? null : JSON.stringify(body);
  const [debounced, setDebounced] = useState(serialized);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(serialized), delay);
    return () => clearTimeout(timer);
  }, [serialized, delay]);
  const state = useFetch(debounced, (signal) =>
    previewLink(JSON.parse(debounced ?? '{}') as LinkBody, signal),
  );
  // While a change waits for its turn, the last answer is stale: say so through `loading`.
  return { ...state, loading: state.loading || debounced !== serialized };
}
