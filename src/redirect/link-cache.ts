import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { type CampaignRecord, getCampaign } from '../store/campaigns.repository.js';
import type { Db } from '../store/db.js';
import { getLinkByCode, getLinkVersion, type LinkRecord } from '../store/links.repository.js';

/** What the redirect needs about a link: the link and its campaign. */
export interface ResolvedLink {
  link: LinkRecord;
  campaign: CampaignRecord | null;
  /** Set once a capped link had no click left: later requests answer 410 without asking. */
  exhausted: boolean;
}

/** The layer that answered a lookup, or `version_check` for a check of a cached entry's version. */
export type CacheLayer = 'lru' | 'redis' | 'store' | 'negative' | 'version_check';

export interface LinkCacheOptions {
  db: Db;
  redis?: Redis | undefined;
  /** Namespace of the Redis keys and of the invalidation channel (`chatmark:` by default). */
  redisPrefix?: string;
  size?: number;
  /** How old an entry may be before a request triggers a check of its version (1 s by default). */
  revalidateMs?: number;
  negativeTtlMs?: number;
  /** How long Redis keeps an entry nobody changed. */
  redisTtlSeconds?: number;
  onLookup?: (layer: CacheLayer) => void;
  /** Told when Redis or the store failed under the cache (it then serves what it has). */
  onError?: (error: unknown, code: string) => void;
}

/**
 * Which copy of a link an entry holds: link id (a code re-used by a new link is newer), link
 * version, campaign version. Compared in that order.
 */
type Stamp = readonly [id: number, version: number, campaignVersion: number];

function compareStamps(a: Stamp, b: Stamp): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

const stampOf = (link: LinkRecord, campaign: CampaignRecord | null): Stamp => [
  link.id,
  link.version,
  campaign?.version ?? 0,
];

interface Entry {
  value: ResolvedLink | false;
  stamp: Stamp | null;
  checkedAt: number;
}

/**
 * Writes KEYS[1] = {id, v, cv, data} unless it holds the same or a newer stamp: a load that read
 * the store before an update can never put its older copy back over the update's.
 */
const SET_IF_NEWER = `
local cur = redis.call('HMGET', KEYS[1], 'id', 'v', 'cv')
if cur[1] then
  local id, v, cv = tonumber(cur[1]), tonumber(cur[2]), tonumber(cur[3])
  local nid, nv, ncv = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
  if nid < id or (nid == id and (nv < v or (nv == v and ncv <= cv))) then return 0 end
end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'v', ARGV[2], 'cv', ARGV[3], 'data', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
`;

type RedisWithSet = Redis & {
  chatmarkSetLink(
    key: string,
    id: number,
    version: number,
    campaignVersion: number,
    data: string,
    ttlSeconds: number,
  ): Promise<number>;
};

/**
 * Link lookup for the redirect, layered as Dub does: in-process LRU → Redis (when configured) →
 * store. Unknown codes are cached too, briefly, so a flood of bad codes doesn't reach the store.
 *
 * Entries carry the link's and campaign's versions. Redis only ever takes a newer copy, an update
 * writes its copy through (`invalidate`) and announces it over pub/sub, and every entry older than
 * `revalidateMs` is checked against the current version in the background while it keeps being
 * served, so an edit reaches every server within about twice that even when a pub/sub message is
 * lost. Concurrent loads of one code share one load.
 */
export class LinkCache {
  private readonly lru: LRUCache<string, Entry>;
  private readonly redis: RedisWithSet | undefined;
  private readonly revalidateMs: number;
  private readonly negativeTtlMs: number;
  private readonly redisTtlSeconds: number;
  private readonly keyPrefix: string;
  private readonly loading = new Map<string, Promise<ResolvedLink | null>>();
  private readonly checking = new Map<string, Promise<ResolvedLink | null>>();
  /** Codes changed here whose new copy has not reached Redis yet: retried until it has. */
  private readonly unsent = new Set<string>();
  private retryTimer: NodeJS.Timeout | null = null;
  /** The pub/sub channel on which processes announce changed codes. */
  readonly channel: string;

  constructor(private readonly options: LinkCacheOptions) {
    this.lru = new LRUCache({ max: options.size ?? 10_000 });
    this.revalidateMs = options.revalidateMs ?? 1_000;
    this.negativeTtlMs = options.negativeTtlMs ?? 2_000;
    this.redisTtlSeconds = options.redisTtlSeconds ?? 60;
    this.keyPrefix = `${options.redisPrefix ?? 'chatmark:'}link:`;
    this.channel = `${options.redisPrefix ?? 'chatmark:'}link-invalidate`;
    if (options.redis) {
      options.redis.defineCommand('chatmarkSetLink', { numberOfKeys: 1, lua: SET_IF_NEWER });
      this.redis = options.redis as RedisWithSet;
    }
  }

  /** The link behind `code`, or null when there is none (archived and expired links are returned). */
  get(code: string): ResolvedLink | null | Promise<ResolvedLink | null> {
    const hit = this.lru.get(code);
    if (hit !== undefined) {
      this.options.onLookup?.(hit.value ? 'lru' : 'negative');
      if (!hit.value) return null;
      const age = performance.now() - hit.checkedAt;
      if (age <= this.revalidateMs) return hit.value;
      // Under steady traffic the background check keeps entries younger than twice revalidateMs;
      // an entry left alone longer is checked before it is served.
      const check = this.revalidate(code, hit, hit.value);
      return age > 2 * this.revalidateMs ? check : hit.value;
    }
    let pending = this.loading.get(code);
    if (!pending) {
      const load = this.load(code).finally(() => {
        if (this.loading.get(code) === load) this.loading.delete(code);
      });
      this.loading.set(code, load);
      pending = load;
    }
    return pending;
  }

  /**
   * After `code`'s link (or its campaign) changed in the store: loads the new copy here, writes it
   * to Redis and tells the other processes. Never rejects: a change that could not reach Redis is
   * retried every second until it has (the other servers' revalidation covers the meantime).
   */
  async invalidate(code: string): Promise<void> {
    this.forget(code);
    await this.announce(code);
  }

  private async announce(code: string): Promise<void> {
    try {
      await this.fromStore(code, true);
      if (this.redis) await this.redis.publish(this.channel, code);
      this.unsent.delete(code);
    } catch (error) {
      this.options.onError?.(error, code);
      this.unsent.add(code);
      this.retryTimer ??= setInterval(() => this.retryUnsent(), 1_000).unref();
    }
  }

  /** Drops a code from this process only (what a pub/sub message does). */
  forget(code: string): void {
    this.loading.delete(code);
    this.lru.delete(code);
  }

  /** Stops retrying unsent changes (at shutdown). */
  close(): void {
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = null;
  }

  private retryUnsent(): void {
    const codes = [...this.unsent];
    this.unsent.clear();
    if (codes.length === 0) {
      this.close();
      return;
    }
    for (const code of codes) void this.announce(code);
  }

  /** Whether Redis is worth asking: while it reconnects, lookups go straight to the store. */
  private redisReady(): boolean {
    return this.redis?.status === 'ready';
  }

  private async load(code: string): Promise<ResolvedLink | null> {
    const { redis } = this;
    if (redis && this.redisReady()) {
      const data = await redis.hget(this.keyPrefix + code, 'data').catch((error: unknown) => {
        this.options.onError?.(error, code);
        return null;
      });
      if (data) {
        const { link, campaign } = JSON.parse(data) as Omit<ResolvedLink, 'exhausted'>;
        this.options.onLookup?.('redis');
        return this.keep(code, { link, campaign, exhausted: false }, stampOf(link, campaign));
      }
    }
    const found = await this.fromStore(code);
    this.options.onLookup?.(found ? 'store' : 'negative');
    return found;
  }

  /**
   * Reads the link from the store, keeps it here and offers it to Redis (which keeps the newest).
   * A Redis failure rejects only when `mustReachRedis` (an update's copy); a lookup serves anyway.
   */
  private async fromStore(code: string, mustReachRedis = false): Promise<ResolvedLink | null> {
    const { db } = this.options;
    const link = await getLinkByCode(db, code);
    if (!link) {
      this.lru.set(code, { value: false, stamp: null, checkedAt: 0 }, { ttl: this.negativeTtlMs });
      return null;
    }
    const campaign = link.campaignId === null ? null : ((await getCampaign(db, link.campaignId)) ?? null);
    const stamp = stampOf(link, campaign);
    const kept = this.keep(code, { link, campaign, exhausted: false }, stamp);
    if (this.redis && !this.redisReady()) {
      if (mustReachRedis) throw new Error('Redis is not connected');
    } else if (this.redis) {
      const written = this.redis.chatmarkSetLink(
        this.keyPrefix + code,
        ...stamp,
        JSON.stringify({ link, campaign }),
        this.redisTtlSeconds,
      );
      if (mustReachRedis) await written;
      else await written.catch((error: unknown) => this.options.onError?.(error, code));
    }
    return kept;
  }

  /** Stores an entry unless this process already holds the same or a newer copy, and returns the one kept. */
  private keep(code: string, value: ResolvedLink, stamp: Stamp): ResolvedLink {
    const current = this.lru.peek(code);
    const checkedAt = performance.now();
    if (current?.value && current.stamp && compareStamps(current.stamp, stamp) >= 0) {
      // The same copy keeps its object: the redirect's destination templates hang off it.
      if (compareStamps(current.stamp, stamp) === 0) current.checkedAt = checkedAt;
      return current.value;
    }
    this.lru.set(code, { value, stamp, checkedAt });
    return value;
  }

  /**
   * Checks that `entry` is still the current copy (one cheap version read) and reloads it when
   * not. Concurrent checks of one code share one; a failed check keeps serving the copy we have:
   * Redis or the store being away must not break links.
   */
  private revalidate(code: string, entry: Entry, value: ResolvedLink): Promise<ResolvedLink | null> {
    let check = this.checking.get(code);
    if (check) return check;
    check = (async () => {
      try {
        this.options.onLookup?.('version_check');
        const current = await this.currentStamp(code);
        if (current && entry.stamp && compareStamps(current, entry.stamp) === 0) {
          entry.checkedAt = performance.now();
          return value;
        }
        return await this.fromStore(code);
      } catch (error) {
        this.options.onError?.(error, code);
        entry.checkedAt = performance.now();
        return value;
      } finally {
        this.checking.delete(code);
      }
    })();
    this.checking.set(code, check);
    return check;
  }

  /**
   * The current version of `code`: from Redis when it is there, else one indexed store read.
   * Undefined when Redis answers without the code (expired): the caller reloads, which also puts
   * the code back in Redis, so a hot link's checks stay off the store.
   */
  private async currentStamp(code: string): Promise<Stamp | null | undefined> {
    if (this.redis && this.redisReady()) {
      const fields = await this.redis.hmget(this.keyPrefix + code, 'id', 'v', 'cv').catch(() => null);
      if (fields && fields[0] !== null && fields[0] !== undefined) {
        return [Number(fields[0]), Number(fields[1]), Number(fields[2])];
      }
      if (fields) return undefined;
    }
    const row = await getLinkVersion(this.options.db, code);
    return row ? [row.id, row.version, row.campaignVersion] : null;
  }
}
