import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { type CampaignRecord, getCampaign } from '../store/campaigns.repository.js';
import { countHumanClicks } from '../store/clicks.repository.js';
import type { Db } from '../store/db.js';
import { getLinkByCode, type LinkRecord } from '../store/links.repository.js';

/** What the redirect needs about a link: the link and its campaign. */
export interface ResolvedLink {
  link: LinkRecord;
  campaign: CampaignRecord | null;
  /** Human clicks counted so far (for `maxClicks`): the store's count at load plus this process's. */
  humanClicks: number;
}

export type CacheLayer = 'lru' | 'redis' | 'store' | 'negative';

export interface LinkCacheOptions {
  db: Db;
  redis?: Redis | undefined;
  /** Namespace of the Redis keys and of the invalidation channel (`chatmark:` by default). */
  redisPrefix?: string;
  size?: number;
  ttlMs?: number;
  negativeTtlMs?: number;
  onLookup?: (layer: CacheLayer) => void;
}

/**
 * Link lookup for the redirect, layered as Dub does: in-process LRU → Redis (when configured) →
 * store. Unknown codes are cached too, briefly, so a flood of bad codes doesn't reach the store.
 * Updates call `invalidate`, which also tells the other processes through Redis pub/sub.
 */
export class LinkCache {
  private readonly lru: LRUCache<string, ResolvedLink | false>;
  private readonly negativeTtlMs: number;
  private readonly redisTtlSeconds: number;
  private readonly keyPrefix: string;
  /** The pub/sub channel on which processes announce changed codes. */
  readonly channel: string;

  constructor(private readonly options: LinkCacheOptions) {
    this.lru = new LRUCache({ max: options.size ?? 10_000, ttl: options.ttlMs ?? 60_000 });
    this.negativeTtlMs = options.negativeTtlMs ?? 5_000;
    this.redisTtlSeconds = Math.ceil((options.ttlMs ?? 60_000) / 1000) * 10;
    this.keyPrefix = `${options.redisPrefix ?? 'chatmark:'}link:`;
    this.channel = `${options.redisPrefix ?? 'chatmark:'}link-invalidate`;
  }

  /** The link behind `code`, or null when there is none (archived and expired links are returned). */
  get(code: string): ResolvedLink | null | Promise<ResolvedLink | null> {
    const hit = this.lru.get(code);
    if (hit !== undefined) {
      this.options.onLookup?.(hit ? 'lru' : 'negative');
      return hit || null;
    }
    return this.load(code);
  }

  /** Drops a code here and, through Redis, in every other process. */
  async invalidate(code: string): Promise<void> {
    this.lru.delete(code);
    if (this.options.redis) {
      await this.options.redis.del(this.keyPrefix + code);
      await this.options.redis.publish(this.channel, code);
    }
  }

  /** Drops a code from this process only (what a pub/sub message does). */
  forget(code: string): void {
    this.lru.delete(code);
  }

  private async load(code: string): Promise<ResolvedLink | null> {
    const { redis } = this.options;
    if (redis) {
      const cached = await redis.get(this.keyPrefix + code).catch(() => null);
      if (cached) {
        const resolved = JSON.parse(cached) as Omit<ResolvedLink, 'humanClicks'>;
        const entry = { ...resolved, humanClicks: await this.humanClicks(resolved.link) };
        this.lru.set(code, entry);
        this.options.onLookup?.('redis');
        return entry;
      }
    }
    const link = await getLinkByCode(this.options.db, code);
    if (!link) {
      this.lru.set(code, false, { ttl: this.negativeTtlMs });
      this.options.onLookup?.('negative');
      return null;
    }
    const campaign =
      link.campaignId === null ? null : ((await getCampaign(this.options.db, link.campaignId)) ?? null);
    const entry: ResolvedLink = { link, campaign, humanClicks: await this.humanClicks(link) };
    this.lru.set(code, entry);
    if (redis) {
      await redis
        .set(this.keyPrefix + code, JSON.stringify({ link, campaign }), 'EX', this.redisTtlSeconds)
        .catch(() => undefined);
    }
    this.options.onLookup?.('store');
    return entry;
  }

  private async humanClicks(link: LinkRecord): Promise<number> {
    return link.maxClicks === null ? 0 : countHumanClicks(this.options.db, link.id);
  }
}
