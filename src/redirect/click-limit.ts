import type { Redis } from 'ioredis';
import { countHumanClicks } from '../store/clicks.repository.js';
import type { Db } from '../store/db.js';
import { raiseLinkCounter, takeLinkClick } from '../store/link-counters.repository.js';

/**
 * Takes one click of the counter at KEYS[1] unless it has reached ARGV[1]. ARGV[2] is a floor
 * (the clicks already committed, or -1 when the caller doesn't know it): the counter is raised to
 * it first, and a missing counter with no floor answers -2 so that the caller seeds it. Seeding
 * and taking in one script leaves no gap between a SET NX and an INCR for another server.
 * Answers the new count, or -1 when the limit is reached.
 */
const TAKE_SCRIPT = `
local used = redis.call('GET', KEYS[1])
local floor = tonumber(ARGV[2])
if not used then
  if floor < 0 then return -2 end
  used = floor
else
  used = tonumber(used)
  if floor > used then used = floor end
end
if used >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], used)
  return -1
end
redis.call('SET', KEYS[1], used + 1)
return used + 1
`;

type RedisWithTake = Redis & {
  chatmarkTakeClick(key: string, max: number, floor: number): Promise<number>;
};

export interface ClickLimitOptions {
  db: Db;
  redis?: Redis | undefined;
  /** Namespace of the Redis keys (`chatmark:` by default). */
  redisPrefix?: string;
  /** Told when Redis failed and the store's counter was used instead, or the store failed too. */
  onFallback?: (error: unknown) => void;
}

/**
 * `maxClicks` as a limit across servers: a human click is reserved before it is answered. With
 * Redis, one script per click on a per-link counter; without Redis, or while it fails, one
 * conditional UPDATE on the link's counter row in the store. Either counter is raised to the
 * clicks already committed the first time this process uses it after a switch between the two,
 * so a switch loses at most the clicks in flight at that moment.
 */
export class ClickLimit {
  private readonly redis: RedisWithTake | undefined;
  private readonly keyPrefix: string;
  /** Incremented by every Redis failure: a counter last synced in an older epoch is synced again. */
  private epoch = 0;
  private readonly redisSynced = new Map<number, number>();
  private readonly storeSynced = new Map<number, number>();
  private readonly seeding = new Map<string, Promise<number>>();

  constructor(private readonly options: ClickLimitOptions) {
    this.keyPrefix = `${options.redisPrefix ?? 'chatmark:'}clicks:`;
    if (options.redis) {
      options.redis.defineCommand('chatmarkTakeClick', { numberOfKeys: 1, lua: TAKE_SCRIPT });
      this.redis = options.redis as RedisWithTake;
    }
  }

  /** Reserves one of the link's `max` clicks; false when none is left. Never rejects. */
  async take(linkId: number, max: number): Promise<boolean> {
    const { redis } = this;
    if (redis?.status === 'ready') {
      try {
        return await this.takeInRedis(redis, linkId, max);
      } catch (error) {
        this.epoch += 1;
        this.options.onFallback?.(error);
      }
    }
    try {
      return await this.takeInStore(linkId, max);
    } catch (error) {
      // Neither counter answers: the link keeps working (its click is spilled like any other)
      // rather than going dark for the length of the outage.
      this.options.onFallback?.(error);
      return true;
    }
  }

  private async takeInRedis(redis: RedisWithTake, linkId: number, max: number): Promise<boolean> {
    const key = this.keyPrefix + linkId;
    const epoch = this.epoch;
    const floor = this.redisSynced.get(linkId) === epoch ? -1 : await this.committed('redis', linkId);
    let used = await redis.chatmarkTakeClick(key, max, floor);
    // The counter expired or Redis lost its data since this process synced it.
    if (used === -2) used = await redis.chatmarkTakeClick(key, max, await this.committed('redis', linkId));
    this.redisSynced.set(linkId, epoch);
    return used >= 0;
  }

  private async takeInStore(linkId: number, max: number): Promise<boolean> {
    const epoch = this.epoch;
    if (this.storeSynced.get(linkId) !== epoch) {
      await raiseLinkCounter(this.options.db, linkId, await this.committed('store', linkId));
      this.storeSynced.set(linkId, epoch);
    }
    return takeLinkClick(this.options.db, linkId, max);
  }

  /** The link's human clicks in the store; concurrent callers share one query. */
  private committed(side: string, linkId: number): Promise<number> {
    const key = `${side}:${linkId}`;
    let pending = this.seeding.get(key);
    if (!pending) {
      pending = countHumanClicks(this.options.db, linkId).finally(() => this.seeding.delete(key));
      this.seeding.set(key, pending);
    }
    return pending;
  }
}
