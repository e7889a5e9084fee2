import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { StoreDb } from '../store/dialect.js';
import type { Metrics } from './metrics.js';
import type { RateLimiter } from './rate-limit.js';

/** What route modules get: configuration, the store, the clock and the metrics. */
export interface AppContext {
  readonly config: Config;
  readonly store: StoreDb;
  readonly now: () => number;
  readonly metrics: Metrics;
  /** API calls per key, tracking calls per visitor; null when limits are off. */
  readonly limiter: RateLimiter | null;
}

/** The app as route modules see it: request types inferred from the zod schemas. */
export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;
