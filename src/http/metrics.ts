import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The server's Prometheus metrics, on a registry of its own (several apps can live in one process). */
export function createMetrics() {
  const registry = new Registry();
  return {
    registry,
    redirects: new Counter({
      name: 'chatmark_redirects_total',
      help: 'Redirect requests answered, by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
      collect() {
        flushPending(this);
      },
    }),
    clicksJournaled: new Counter({
      name: 'chatmark_clicks_journaled_total',
      help: 'Clicks committed by the click journal',
      registers: [registry],
    }),
    clicksSpilled: new Counter({
      name: 'chatmark_clicks_spilled_total',
      help: 'Clicks written to the local spill file because their commit failed',
      registers: [registry],
    }),
    clicksReplayed: new Counter({
      name: 'chatmark_clicks_replayed_total',
      help: 'Spilled clicks written back into the store',
      registers: [registry],
    }),
    journalFlush: new Histogram({
      name: 'chatmark_journal_flush_seconds',
      help: 'Time to commit one journal batch',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    journalBatch: new Histogram({
      name: 'chatmark_journal_batch_clicks',
      help: 'Clicks per journal commit',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 1000],
      registers: [registry],
    }),
    linkCache: new Counter({
      name: 'chatmark_link_cache_lookups_total',
      help: 'Link lookups by the layer that answered (lru, redis, store, negative), and version_check: checks of a cached entry',
      labelNames: ['layer'] as const,
      registers: [registry],
      collect() {
        flushPending(this);
      },
    }),
    rateLimitErrors: new Counter({
      name: 'chatmark_rate_limit_errors_total',
      help: 'Rate-limit checks that failed (Redis error or timeout) and let the request through',
      registers: [registry],
    }),
    redisUp: new Gauge({
      name: 'chatmark_redis_up',
      help: 'Whether Redis is reachable (1) or not (0); absent without REDIS_URL',
      registers: [registry],
    }),
    storeUp: new Gauge({
      name: 'chatmark_store_up',
      help: 'Whether the database answered the last attempt to reach it (1) or not (0)',
      registers: [registry],
    }),
    storeUnavailable: new Counter({
      name: 'chatmark_store_unavailable_total',
      help: 'API requests answered 503 store_unavailable because the database could not be reached',
      registers: [registry],
    }),
    linkCacheErrors: new Counter({
      name: 'chatmark_link_cache_errors_total',
      help: 'Link cache operations that failed (Redis or the store) and fell back; a failed invalidation is retried',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Per counter, the functions that add the counts held back since the last scrape. */
const pendingCounts = new WeakMap<object, (() => void)[]>();

function flushPending(counter: object): void {
  for (const flush of pendingCounts.get(counter) ?? []) flush();
}

/**
 * Counts by one label, held in plain numbers and added to the counter when it is collected (a
 * scrape of /metrics): prom-client hashes the labels on every `inc`, and the redirect counts on
 * every request.
 */
function labelledCounter<L extends string>(counter: Counter<L>, label: L): (value: string) => void {
  const counts = new Map<string, { n: number }>();
  const flushes = pendingCounts.get(counter) ?? [];
  pendingCounts.set(counter, flushes);
  flushes.push(() => {
    for (const [value, count] of counts) {
      if (count.n === 0) continue;
      counter.inc({ [label]: value } as Record<L, string>, count.n);
      count.n = 0;
    }
  });
  return (value) => {
    const count = counts.get(value);
    if (count) count.n += 1;
    else counts.set(value, { n: 1 });
  };
}

/** Counts one redirect by outcome. */
export const redirectCounter = (metrics: Metrics) => labelledCounter(metrics.redirects, 'outcome');

/** Counts one link lookup by the cache layer that answered it. */
export const linkCacheCounter = (metrics: Metrics) => labelledCounter(metrics.linkCache, 'layer');
