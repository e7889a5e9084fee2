import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { KyselyPlugin } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { LinkCache } from '../../src/redirect/link-cache.js';
import { buildServer, type Server } from '../../src/server.js';
import { ADMIN_KEY, SECRET_KEY } from '../support/server.js';
import { BACKENDS, POSTGRES_URL, REDIS_URL, scaleOutProblem } from '../support/services.js';

const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/**
 * Two server processes' worth of state (two composition roots) on one PostgreSQL and one Redis:
 * the shared link cache is invalidated everywhere on update, rate limits count across both, and
 * click numbers never collide.
 */
describe('scale-out: two servers on PostgreSQL + Redis', () => {
  const schema = `so_${process.pid}_${Date.now().toString(36)}`;
  let a: Server;
  let b: Server;
  beforeEach((ctx) => {
    if (scaleOutProblem) ctx.skip(scaleOutProblem);
  });
  beforeAll(async () => {
    if (scaleOutProblem) return;
    const env = {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'chatmark-so-')),
      DATABASE_URL: POSTGRES_URL,
      DATABASE_SCHEMA: schema,
      CHATMARK_SECRET_KEY: SECRET_KEY,
      REDIS_URL,
      REDIS_PREFIX: `test:${schema}:`,
      CHATMARK_API_KEY: ADMIN_KEY,
      RATE_LIMIT_PER_MINUTE: '30',
    };
    // One fixed clock: the rate-limit window can't roll over in the middle of the test.
    const now = () => Date.UTC(2026, 10, 23, 12, 0, 30);
    a = await buildServer(loadConfig(env), { logger: false, now });
    b = await buildServer(loadConfig(env), { logger: false, now });
  });
  afterAll(async () => {
    if (scaleOutProblem) return;
    await a?.close();
    await b?.close();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });

  const api = (server: Server, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) =>
    server.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${ADMIN_KEY}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
  const follow = (server: Server, code: string) =>
    server.app.inject({ method: 'GET', url: `/${code}`, headers: { 'user-agent': UA } });

  it('invalidates a link cached in another process when it is changed', async () => {
    const link = (
      await api(a, 'POST', '/api/links', {
        channel: 'whatsapp',
        target: { phone: '+447911123456' },
        text: 'one',
      })
    ).json();
    expect(String((await follow(b, link.code)).headers.location)).toContain('text=one');
    await api(a, 'PATCH', `/api/links/${link.id}`, { text: 'two' });
    await new Promise((r) => setTimeout(r, 100)); // pub/sub delivery
    expect(String((await follow(b, link.code)).headers.location)).toContain('text=two');
  });

  it('never hands the same click number to two servers', async () => {
    const link = (
      await api(a, 'POST', '/api/links', { channel: 'signal', target: { phone: '+447911123456' } })
    ).json();
    const ids = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        follow(i % 2 ? a : b, link.code).then((r) => String(r.headers['x-chatmark-click'])),
      ),
    );
    expect(new Set(ids).size).toBe(40);
  });

  it('counts the rate limit across both servers', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1)
      statuses.push((await api(i % 2 ? a : b, 'GET', '/api/campaigns')).statusCode);
    const limited = statuses.filter((s) => s === 429).length;
    // 30 per minute per key in all: the earlier tests' calls count too, so at least the last 10 are refused.
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(30);
    expect(limited).toBeGreaterThanOrEqual(10);
    expect(statuses.slice(-10)).toEqual(Array(10).fill(429));
    const response = await api(a, 'GET', '/api/campaigns');
    expect(response.json().error.code).toBe('rate_limited');
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  });
});

const postgresProblem = BACKENDS.find((b) => b.name === 'postgres')?.skipReason ?? null;

/** Follows `code` on `server` until its destination contains `expected`; answers how long it took. */
async function untilServed(server: Server, code: string, expected: string, limitMs = 2_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const response = await server.app.inject({
      method: 'GET',
      url: `/${code}`,
      headers: { 'user-agent': UA },
    });
    const elapsed = performance.now() - started;
    if (String(response.headers.location).includes(expected)) return elapsed;
    if (elapsed > limitMs)
      throw new Error(`still ${String(response.headers.location)} after ${Math.round(elapsed)} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const withRedis of [true, false]) {
  describe(`scale-out: edits reach every server within 2 s (PostgreSQL ${withRedis ? '+ Redis' : 'without Redis'})`, () => {
    const problem = withRedis ? scaleOutProblem : postgresProblem;
    const schema = `sv_${withRedis ? 'r' : 'n'}_${process.pid}_${Date.now().toString(36)}`;
    const prefix = `test:${schema}:`;
    let a: Server;
    let b: Server;
    beforeEach((ctx) => {
      if (problem) ctx.skip(problem);
    });
    beforeAll(async () => {
      if (problem) return;
      const env = {
        DATA_DIR: mkdtempSync(join(tmpdir(), 'chatmark-sv-')),
        DATABASE_URL: POSTGRES_URL,
        DATABASE_SCHEMA: schema,
        CHATMARK_SECRET_KEY: SECRET_KEY,
        CHATMARK_API_KEY: ADMIN_KEY,
        ...(withRedis ? { REDIS_URL, REDIS_PREFIX: prefix } : {}),
      };
      a = await buildServer(loadConfig(env), { logger: false });
      b = await buildServer(loadConfig(env), { logger: false });
    });
    afterAll(async () => {
      if (problem) return;
      await a?.close();
      await b?.close();
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
      if (withRedis) {
        const redis = new Redis(REDIS_URL);
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        await redis.quit();
      }
    });

    const api = (server: Server, method: 'POST' | 'PATCH', url: string, body: unknown) =>
      server.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    const newLink = async (extra: object = {}) => {
      const response = await api(a, 'POST', '/api/links', {
        channel: 'whatsapp',
        target: { phone: '+447911123456' },
        text: 'one',
        ...extra,
      });
      expect(response.statusCode).toBe(201);
      return response.json() as { id: number; code: string };
    };

    it('serves a link changed on A from B within 2 s', async () => {
      const link = await newLink();
      await untilServed(b, link.code, 'text=one');
      expect((await api(a, 'PATCH', `/api/links/${link.id}`, { text: 'two' })).statusCode).toBe(200);
      await untilServed(b, link.code, 'text=two');
    });

    it("serves a campaign's changed UTM defaults on B within 2 s", async () => {
      const campaign = (
        await api(a, 'POST', '/api/campaigns', { name: 'Spring', owner: 'ana', utm: { source: 'ig' } })
      ).json() as { id: number };
      const link = await newLink({
        channel: 'web',
        target: { url: 'https://shop.example/' },
        campaignId: campaign.id,
      });
      await untilServed(b, link.code, 'utm_source=ig');
      const patched = await api(a, 'PATCH', `/api/campaigns/${campaign.id}`, {
        utm: { source: 'tiktok' },
      });
      expect(patched.statusCode).toBe(200);
      await untilServed(b, link.code, 'utm_source=tiktok');
    });

    if (withRedis) {
      it("serves the edit from B within 2 s when B's pub/sub connection missed the message", async () => {
        const link = await newLink();
        await untilServed(b, link.code, 'text=one');
        b.subscriber?.disconnect();
        expect((await api(a, 'PATCH', `/api/links/${link.id}`, { text: 'two' })).statusCode).toBe(200);
        await untilServed(b, link.code, 'text=two');
      });

      it('never leaves the old link in Redis when a cache load races a PATCH', async () => {
        const link = await newLink();
        // A third process whose load reads the link (version 1) and then stalls before writing Redis.
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        let readOld!: () => void;
        const didRead = new Promise<void>((r) => (readOld = r));
        let first = true;
        const stall: KyselyPlugin = {
          transformQuery: (args) => args.node,
          async transformResult(args) {
            if (first) {
              first = false;
              readOld();
              await gate;
            }
            return args.result;
          },
        };
        const redis = new Redis(REDIS_URL);
        try {
          const slow = new LinkCache({ db: a.store.db.withPlugin(stall), redis, redisPrefix: prefix });
          // As when the entry expired from Redis: the load goes to the store.
          await redis.del(`${prefix}link:${link.code}`);
          const load = slow.get(link.code);
          await didRead;
          expect((await api(a, 'PATCH', `/api/links/${link.id}`, { text: 'two' })).statusCode).toBe(200);
          release();
          expect((await load)?.link.text).toBe('one'); // what it read before the PATCH
          const cached = JSON.parse((await redis.hget(`${prefix}link:${link.code}`, 'data')) ?? 'null');
          expect(cached?.link.text).toBe('two');
          await untilServed(b, link.code, 'text=two', 0);
          // And the slow process itself moves on to the new copy.
          await new Promise((r) => setTimeout(r, 2_100));
          expect((await slow.get(link.code))?.link.text).toBe('two');
        } finally {
          await redis.quit();
        }
      });
    }
  });
}
