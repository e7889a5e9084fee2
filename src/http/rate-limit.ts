import type { Redis } from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

/**
 * Fixed-window request counting per key. In one process a Map does; with Redis every server
 * counts in the same place (INCR + PEXPIRE), so the limit holds across processes.
 */
export interface RateLimiter {
  hit(key: string, now: number): Promise<RateDecision>;
}

export function memoryRateLimiter(limit: number, windowMs = 60_000): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    async hit(key, now) {
      const start = now - (now % windowMs);
      let window = windows.get(key);
      if (!window || window.start !== start) {
        if (windows.size > 100_000) windows.clear();
        window = { start, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      return {
        allowed: window.count <= limit,
        limit,
        remaining: Math.max(0, limit - window.count),
        resetMs: start + windowMs - now,
      };
    },
  };
}

export function redisRateLimiter(
  redis: Redis,
  prefix: string,
  limit: number,
  windowMs = 60_000,
): RateLimiter {
  return {
    async hit(key, now) {
      const start = now - (now % windowMs);
      const redisKey = `${prefix}rate:${key}:${start}`;
      const result = await redis.multi().incr(redisKey).pexpire(redisKey, windowMs).exec();
      const count = Number(result?.[0]?.[1] ?? 0);
      return {
        allowed: count <= limit,
        limit,
        remaining: Math.max(0, limit - count),
        resetMs: start + windowMs - now,
      };
    },
  };
}
