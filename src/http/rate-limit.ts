import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until one more request would be allowed. */
  resetMs: number;
}

/**
 * Request counting per key over a sliding window: the previous window's count, weighted by the
 * share of it still inside the last `windowMs`, plus the current window's count. A burst at the end
 * of one window still counts at the start of the next, so a window edge never lets 2× the limit
 * through (a fixed window did). In one process an LRU map counts; with Redis every server counts in
 * the same place (one Lua script, atomic), so the limit holds across processes.
 */
export interface RateLimiter {
  /** Counts one request under `key` when it fits in `limit`, and decides on it. */
  hit(key: string, limit: number, now: number): Promise<RateDecision>;
  /** Decides whether one more request would fit, without counting it. */
  peek(key: string, limit: number, now: number): Promise<RateDecision>;
}

export const RATE_WINDOW_MS = 60_000;

/**
 * The decision for counts `previous` and `current` (after any increment) at `now`; `counted` says
 * whether this request was counted (it fitted).
 */
export function slidingDecision(
  previous: number,
  current: number,
  now: number,
  limit: number,
  windowMs: number,
  counted: boolean,
): RateDecision {
  const elapsed = now % windowMs;
  const estimate = weighted(previous, now, windowMs) + current;
  // When one more fits again: in this window as the previous one fades, or in the next one.
  let resetMs = 0;
  if (estimate >= limit) {
    const fadeInThisWindow =
      previous > 0 && current < limit
        ? windowMs * (1 - (limit - 1 - current) / previous) - elapsed
        : Infinity;
    const fadeInNextWindow =
      windowMs - elapsed + (current > 0 ? windowMs * Math.max(0, 1 - (limit - 1) / current) : 0);
    resetMs = Math.ceil(Math.max(1, Math.min(fadeInThisWindow, fadeInNextWindow)));
  }
  return {
    allowed: counted,
    limit,
    remaining: Math.max(0, Math.floor(limit - estimate)),
    resetMs,
  };
}

/**
 * The previous window's requests still inside the sliding window, taken as spread evenly and
 * rounded up: a burst at a window edge then keeps its full weight for the first moments of the
 * next window (rounding down would let one request through right after it).
 */
function weighted(previous: number, now: number, windowMs: number): number {
  return Math.ceil(previous * (1 - (now % windowMs) / windowMs));
}

const fits = (previous: number, current: number, now: number, limit: number, windowMs: number) =>
  weighted(previous, now, windowMs) + current < limit;

export function memoryRateLimiter(windowMs = RATE_WINDOW_MS): RateLimiter {
  // Bounded: a flood of distinct clients evicts the oldest counters instead of growing the heap.
  const windows = new LRUCache<string, { index: number; previous: number; current: number }>({
    max: 100_000,
  });
  function counts(key: string, now: number) {
    const index = Math.floor(now / windowMs);
    const entry = windows.get(key);
    if (!entry) return { index, previous: 0, current: 0 };
    if (entry.index === index) return entry;
    return { index, previous: entry.index === index - 1 ? entry.current : 0, current: 0 };
  }
  return {
    async hit(key, limit, now) {
      const entry = counts(key, now);
      const counted = fits(entry.previous, entry.current, now, limit, windowMs);
      if (counted) entry.current += 1;
      windows.set(key, entry);
      return slidingDecision(entry.previous, entry.current, now, limit, windowMs, counted);
    },
    async peek(key, limit, now) {
      const entry = counts(key, now);
      return slidingDecision(
        entry.previous,
        entry.current,
        now,
        limit,
        windowMs,
        fits(entry.previous, entry.current, now, limit, windowMs),
      );
    },
  };
}

// KEYS: this window's counter, the previous window's. ARGV: limit, weight of the previous window,
// window length (ms), '1' to count the request when it fits. Returns {previous, current, counted}.
const SLIDING_WINDOW_LUA = `
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if ARGV[4] == '1' and math.ceil(previous * tonumber(ARGV[2])) + current < tonumber(ARGV[1]) then
  current = redis.call('INCR', KEYS[1])
  redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[3]))
  return {previous, current, 1}
end
return {previous, current, 0}
`;

type SlidingWindowCommand = (
  current: string,
  previous: string,
  limit: number,
  weight: number,
  windowMs: number,
  count: '0' | '1',
) => Promise<[number, number, number]>;

export interface RedisLimiterOptions {
  windowMs?: number;
  /** A limiter that cannot answer within this time lets the request through. */
  timeoutMs?: number;
  /** Told about every failure (count it); the limiter then allows the request. */
  onError: (error: unknown) => void;
}

/**
 * The limiter shared by every server through Redis. It fails open: when Redis errors or does not
 * answer within `timeoutMs`, the request is allowed (a rate limit must not take the API down with
 * Redis) and `onError` is told.
 */
export function redisRateLimiter(redis: Redis, prefix: string, options: RedisLimiterOptions): RateLimiter {
  const windowMs = options.windowMs ?? RATE_WINDOW_MS;
  const timeoutMs = options.timeoutMs ?? 250;
  const command = 'chatmarkSlidingWindow';
  if (!(command in redis)) redis.defineCommand(command, { numberOfKeys: 2, lua: SLIDING_WINDOW_LUA });
  const slidingWindow = (redis as unknown as Record<typeof command, SlidingWindowCommand>)[command].bind(
    redis,
  );

  async function decide(key: string, limit: number, now: number, count: boolean): Promise<RateDecision> {
    const index = Math.floor(now / windowMs);
    const weight = 1 - (now % windowMs) / windowMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      const reply = await Promise.race([
        slidingWindow(
          `${prefix}rate:${key}:${index}`,
          `${prefix}rate:${key}:${index - 1}`,
          limit,
          weight,
          windowMs,
          count ? '1' : '0',
        ),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the rate limiter got no answer from Redis within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
      const [previous, current, counted] = reply.map(Number) as [number, number, number];
      const fitted = count ? counted === 1 : fits(previous, current, now, limit, windowMs);
      return slidingDecision(previous, current, now, limit, windowMs, fitted);
    } catch (error) {
      options.onError(error);
      return { allowed: true, limit, remaining: limit, resetMs: 0 };
    } finally {
      clearTimeout(timer);
    }
  }
  return {
    hit: (key, limit, now) => decide(key, limit, now, true),
    peek: (key, limit, now) => decide(key, limit, now, false),
  };
}

/**
 * An `onError` for `redisRateLimiter`: counts every failure, warns at most once per `everyMs` (a
 * Redis outage must not flood the log with one line per request).
 */
export function failOpenReporter(
  warn: (error: unknown, failures: number) => void,
  count: () => void,
  everyMs = 60_000,
): (error: unknown) => void {
  let lastWarning = -Infinity;
  let failures = 0;
  return (error) => {
    count();
    failures += 1;
    const now = performance.now();
    if (now - lastWarning >= everyMs) {
      lastWarning = now;
      warn(error, failures);
      failures = 0;
    }
  };
}
