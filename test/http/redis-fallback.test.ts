import { createServer, type Server as NetServer, type Socket, connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ClickLimit } from '../../src/redirect/click-limit.js';
import { LinkCache } from '../../src/redirect/link-cache.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend, REDIS_URL, redisProblem } from '../support/services.js';

/**
 * A TCP proxy in front of the test Redis that can hang: the connection stays up, commands go in
 * and are held, no answer comes back until it is released (a Redis that stalls, the worst case
 * for a client: nothing fails, everything waits).
 */
async function redisProxy() {
  const target = new URL(REDIS_URL);
  const sockets = new Set<Socket>();
  let silent = false;
  const held: Array<() => void> = [];
  const server: NetServer = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      if (silent) held.push(() => upstream.write(chunk));
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!silent) client.write(chunk);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(socket);
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no proxy address');
  return {
    url: `redis://127.0.0.1:${address.port}`,
    set silent(value: boolean) {
      silent = value;
      if (!value) for (const write of held.splice(0)) write();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const within = async <T>(ms: number, work: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

describeEachBackend('link cache and click limit when Redis hangs mid-run', (backend) => {
  let t: TestServer;
  let proxy: Awaited<ReturnType<typeof redisProxy>>;
  let redis: Redis;
  let direct: Redis;
  const prefix = `test:rf_${process.pid}_${Date.now().toString(36)}_${backend.name}:`;
  beforeEach(async (ctx) => {
    if (redisProblem) ctx.skip(redisProblem);
    t = await startTestServer(backend);
    proxy = await redisProxy();
    // The client options the server uses against a Redis that may hang: a short command timeout.
    redis = new Redis(proxy.url, { commandTimeout: 200, maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined); // timeouts are the point of the test
    direct = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    if (redisProblem) return;
    redis.disconnect();
    await proxy.close();
    const keys = await direct.keys(`${prefix}*`);
    if (keys.length > 0) await direct.del(...keys);
    await direct.quit();
    await t.close();
  });

  const newLink = async (body: object) => {
    const response = await t.call('POST', '/api/links', {
      channel: 'whatsapp',
      target: { phone: '+447911123456' },
      ...body,
    });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: number; code: string };
  };

  it('serves from the store, never hangs, never rejects an invalidation, and catches up when Redis answers again', async () => {
    const cache = new LinkCache({ db: t.server.store.db, redis, redisPrefix: prefix, revalidateMs: 200 });
    const limit = new ClickLimit({ db: t.server.store.db, redis, redisPrefix: prefix });
    const warm = await newLink({ text: 'one' });
    const cold = await newLink({ text: 'cold' });
    const capped = await newLink({ maxClicks: 3 });
    expect((await cache.get(warm.code))?.link.text).toBe('one');

    proxy.silent = true;
    // A lookup of a code not cached here waits at most for Redis's command timeout, then the store.
    expect((await within(1_000, Promise.resolve(cache.get(cold.code))))?.link.text).toBe('cold');
    // The capped link keeps its limit, counted in the store, and each reservation answers.
    const takes = await within(2_000, Promise.all(Array.from({ length: 5 }, () => limit.take(capped.id, 3))));
    expect(takes.filter(Boolean)).toHaveLength(3);
    // An edit while Redis hangs: the invalidation resolves (it never rejects) and this process serves it.
    await t.call('PATCH', `/api/links/${warm.id}`, { text: 'two' });
    await within(1_000, cache.invalidate(warm.code));
    expect((await cache.get(warm.code))?.link.text).toBe('two');
    // A cached entry keeps being served while its version check times out.
    await new Promise((r) => setTimeout(r, 500));
    expect((await within(1_000, Promise.resolve(cache.get(warm.code))))?.link.text).toBe('two');

    proxy.silent = false;
    // The held commands are answered (and ignored: they timed out); the retried change reaches Redis.
    const started = performance.now();
    for (;;) {
      const data = await direct.hget(`${prefix}link:${warm.code}`, 'data');
      if (data && (JSON.parse(data) as { link: { text: string } }).link.text === 'two') break;
      expect(performance.now() - started).toBeLessThan(5_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    cache.close();
  });

  it('keeps a real server answering redirects and API writes within bounds while Redis hangs', async () => {
    const served = await startTestServer(backend, { REDIS_URL: proxy.url, REDIS_PREFIX: `${prefix}srv:` });
    try {
      const base = await served.server.app.listen({ port: 0, host: '127.0.0.1' });
      const create = async (body: object) =>
        (
          await served.call('POST', '/api/links', {
            channel: 'whatsapp',
            target: { phone: '+447911123456' },
            ...body,
          })
        ).json() as { id: number; code: string };
      const follow = async (code: string) => {
        const response = await fetch(`${base}/${code}`, {
          redirect: 'manual',
          headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148' },
        });
        await response.arrayBuffer();
        return response.status;
      };
      const warm = await create({ text: 'one' });
      const cold = await create({ text: 'cold' });
      const capped = await create({ maxClicks: 2 });
      expect(await follow(warm.code)).toBe(302);
      // Dropped from the cache here, so the next lookup has to ask Redis (which will hang).
      served.server.subscriber?.emit('message', '', cold.code);

      proxy.silent = true;
      expect(await within(1_000, follow(warm.code))).toBe(302);
      expect(await within(1_000, follow(cold.code))).toBe(302);
      expect(
        (
          await within(2_000, Promise.all([follow(capped.code), follow(capped.code), follow(capped.code)]))
        ).sort(),
      ).toEqual([302, 302, 410]);
      const patched = await within(2_000, served.call('PATCH', `/api/links/${warm.id}`, { text: 'two' }));
      expect(patched.statusCode).toBe(200);
    } finally {
      proxy.silent = false;
      await served.close();
    }
  });
});
