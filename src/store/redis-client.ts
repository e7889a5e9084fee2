import { Redis, type RedisOptions } from 'ioredis';
import { ConnectionState } from './connection-state.js';

/**
 * How Chatmark talks to Redis: optional, so never worth waiting for. A command fails at once
 * while the connection is down (no offline queue) or after `commandTimeout`; callers fall back
 * (the link cache to the store, the rate limiter to allowing). The connection itself is retried
 * in the background forever, with a capped backoff.
 */
export const REDIS_OPTIONS = Object.freeze({
  lazyConnect: true,
  enableOfflineQueue: false,
  commandTimeout: 200,
  connectTimeout: 2_000,
  maxRetriesPerRequest: 1,
  /** 100 ms, 200 ms, … up to 5 s between attempts; never gives up. */
  retryStrategy: (attempt: number) => Math.min(attempt * 100, 5_000),
} satisfies RedisOptions);

export interface RedisClients {
  /** Commands (cache, rate limits, publish). */
  readonly client: Redis;
  /** Pub/sub only (a subscribed connection can't run commands); re-subscribes on reconnect. */
  readonly subscriber: Redis;
  readonly state: ConnectionState;
  /** Starts connecting in the background; never waits and never throws. Log with `state.attach`. */
  connect(): void;
  close(): Promise<void>;
}

/**
 * Two clients on `url` that start without Redis and keep serving while it is away. Every failed
 * reconnect emits 'error'; one listener turns those into one warning per outage (ioredis prints
 * each unhandled one to stderr: a flood), and `onStateChange` feeds the metric.
 */
export function createRedisClients(
  url: string,
  options: { onStateChange?: (up: boolean) => void; overrides?: Partial<RedisOptions> } = {},
): RedisClients {
  const state = new ConnectionState('Redis', options.onStateChange);
  const client = new Redis(url, { ...REDIS_OPTIONS, ...options.overrides });
  // A subscription is one command sent once: let it wait for the connection instead of failing,
  // and let ioredis renew it after every reconnect (autoResubscribe).
  const subscriber = client.duplicate({
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    autoResubscribe: true,
  });
  let closing = false;
  client.on('ready', () => state.markUp());
  client.on('error', (error: Error) => {
    if (!closing) state.markDown(error);
  });
  client.on('close', () => {
    if (!closing) state.markDown(new Error('connection closed'));
  });
  // The subscriber's errors are the same outage seen twice: handled (no stderr flood), not logged.
  subscriber.on('error', () => undefined);
  return {
    client,
    subscriber,
    state,
    connect() {
      client.connect().catch((error: unknown) => state.markDown(error));
      subscriber.connect().catch(() => undefined);
    },
    async close() {
      closing = true;
      // A subscriber has nothing to finish; a queued QUIT would wait for a connection that may never come.
      subscriber.disconnect();
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}
