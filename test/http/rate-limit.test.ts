import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import { createMetrics } from '../../src/http/metrics.js';
import { failOpenReporter, redisRateLimiter } from '../../src/http/rate-limit.js';
import { keyRoutes } from '../../src/http/routes/keys.js';
import { systemRoutes } from '../../src/http/routes/system.js';
import { ensureAdminKey } from '../../src/services/keys.service.js';
import { listen } from '../support/http.js';
import { ADMIN_KEY, startTestServer, type TestServer } from '../support/server.js';
import {
  BACKENDS,
  describeEachBackend,
  dropTestSchemas,
  REDIS_URL,
  redisProblem,
} from '../support/services.js';

const MINUTE = 60_000;
/** 59.9 s into a minute: the last moment of a fixed window. */
const WINDOW_END = Date.UTC(2026, 10, 23, 12, 0) + 59_900;

const limiters = [
  { name: 'in memory', env: () => ({}), skipReason: null },
  {
    name: 'in Redis',
    env: () => ({ REDIS_URL, REDIS_PREFIX: `t${process.pid}${Date.now().toString(36)}${Math.random()}:` }),
    skipReason: redisProblem,
  },
];

for (const limiter of limiters) {
  describeEachBackend(`rate limits ${limiter.name}`, (backend) => {
    let t: TestServer;
    beforeEach((ctx) => {
      if (limiter.skipReason) ctx.skip(limiter.skipReason);
    });
    beforeAll(async () => {
      if (backend.skipReason || limiter.skipReason) return;
      t = await startTestServer(
        backend,
        { ...limiter.env(), RATE_LIMIT_PER_MINUTE: '10', AUTH_FAILURES_PER_MINUTE: '5', TRUST_PROXY: '1' },
        { now: WINDOW_END },
      );
    });
    afterAll(async () => t?.close());

    const pixel = (client: string, forwardedFor = client) =>
      t.server.app.inject({
        method: 'GET',
        url: '/p.gif?url=https://shop.example/',
        remoteAddress: '10.0.0.2', // the proxy
        headers: { 'x-forwarded-for': forwardedFor },
      });
    const allowed = async (count: number, client: string) => {
      let ok = 0;
      for (let i = 0; i < count; i += 1) if ((await pixel(client)).statusCode === 200) ok += 1;
      return ok;
    };

    it('does not let a burst at a window edge through twice (sliding window)', async () => {
      t.clock.now = WINDOW_END;
      const client = '203.0.113.1';
      expect(await allowed(10, client)).toBe(10);
      const refused = await pixel(client);
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe('rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // 0.2 s later, in the next minute: a fixed window would take 10 more here.
      t.clock.now = WINDOW_END + 200;
      expect(await allowed(10, client)).toBe(0);
      // Half a window on, the old burst counts half.
      t.clock.now = WINDOW_END + 200 + 30_000;
      expect(await allowed(10, client)).toBe(5);
      // After a whole minute without a request the client has its whole limit again.
      t.clock.now = WINDOW_END + 3 * MINUTE;
      expect(await allowed(11, client)).toBe(10);
    });

    it('keys the pixel on the address the proxy saw, not on a forged leftmost X-Forwarded-For', async () => {
      t.clock.now = WINDOW_END + 10 * MINUTE;
      const statuses: number[] = [];
      for (let i = 1; i <= 12; i += 1) {
        statuses.push((await pixel('', `${i}.${i}.${i}.${i}, 203.0.113.2`)).statusCode);
      }
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
      expect(statuses.slice(10)).toEqual([429, 429]);
      expect((await pixel('198.51.100.7')).statusCode).toBe(200);
    });

    it('answers a flood of failed authentications with 429, before the key is checked', async () => {
      t.clock.now = WINDOW_END + 20 * MINUTE;
      const call = (key: string, client = '203.0.113.3') =>
        t.server.app.inject({
          method: 'GET',
          url: '/api/campaigns',
          remoteAddress: '10.0.0.2',
          headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': client },
        });
      const wrong = `${ADMIN_KEY.slice(0, 11)}guess-000000000000000000`;
      for (let i = 0; i < 5; i += 1) expect((await call(wrong)).statusCode).toBe(401);
      const flooded = await call(wrong);
      expect(flooded.statusCode).toBe(429);
      expect(flooded.headers['retry-after']).toBeDefined();
      // Over the limit even the right key is refused: guessing must not learn anything more.
      expect((await call(ADMIN_KEY)).statusCode).toBe(429);
      // Another client is not affected; the flooded one gets its turn back later.
      expect((await call(ADMIN_KEY, '198.51.100.8')).statusCode).toBe(200);
      t.clock.now += 2 * MINUTE;
      expect((await call(ADMIN_KEY)).statusCode).toBe(200);
    });
  });
}

describeEachBackend('the client address behind proxies, in the redirect fast path', (backend) => {
  let t: TestServer;
  let base: string;
  beforeAll(async () => {
    if (backend.skipReason) return;
    t = await startTestServer(backend, { TRUST_PROXY: '1' });
    base = await listen(t.server);
  });
  afterAll(async () => t?.close());

  it('hashes the visitor from the rightmost X-Forwarded-For entry (one trusted hop)', async () => {
    const link = (
      await t.call('POST', '/api/links', { channel: 'web', target: { url: 'https://shop.example/' } })
    ).json();
    const ua =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Version/17.5 Mobile/15E148 Safari/604.1';
    for (const forwardedFor of ['6.6.6.6, 203.0.113.9', '7.7.7.7, 203.0.113.9', '198.51.100.9']) {
      const response = await fetch(`${base}/${link.code}`, {
        redirect: 'manual',
        headers: { 'x-forwarded-for': forwardedFor, 'user-agent': ua },
      });
      expect(response.status).toBe(302);
    }
    const clicks = (await t.call('GET', `/api/clicks?linkId=${link.id}`)).json().clicks as Array<{
      visitor: string;
    }>;
    expect(clicks).toHaveLength(3);
    const [forged1, forged2, other] = clicks.map((c) => c.visitor);
    expect(forged1).toBe(forged2);
    expect(other).not.toBe(forged1);
  });
});

/** A TCP server that accepts connections and never answers: a Redis that hangs. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: TcpServer = createTcpServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('a Redis limiter that cannot answer fails open', () => {
  afterAll(dropTestSchemas);

  const cases = [
    {
      name: 'nothing listens (redis://127.0.0.1:1)',
      redis: async () => ({
        client: new Redis('redis://127.0.0.1:1', {
          lazyConnect: true,
          enableOfflineQueue: false,
          commandTimeout: 200,
          maxRetriesPerRequest: 0,
          retryStrategy: () => 1000,
        }),
        close: async () => undefined,
      }),
    },
    {
      name: 'a socket that accepts and stays silent (no client timeout: the limiter has its own)',
      redis: async () => {
        const silent = await silentServer();
        return {
          client: new Redis(`redis://127.0.0.1:${silent.port}`, { maxRetriesPerRequest: null }),
          close: silent.close,
        };
      },
    },
  ];

  it.each(cases)('$name: the API answers, the failure is counted and warned once', async ({ redis }) => {
    const { client, close } = await redis();
    client.on('error', () => undefined);
    const store = await BACKENDS[0]!.open();
    const metrics = createMetrics();
    const warnings: unknown[] = [];
    try {
      await ensureAdminKey(store.db, ADMIN_KEY, Date.now());
      const { app } = await createApp({
        config: loadConfig({ RATE_LIMIT_PER_MINUTE: '1', AUTH_FAILURES_PER_MINUTE: '1' }),
        store,
        logger: false,
        metrics,
        limiter: redisRateLimiter(client, 'dead:', {
          timeoutMs: 100,
          onError: failOpenReporter(
            (error) => warnings.push(error),
            () => metrics.rateLimitErrors.inc(),
          ),
        }),
        routes: [systemRoutes(), keyRoutes],
      });
      const started = performance.now();
      for (let i = 0; i < 3; i += 1) {
        const response = await app.inject({
          method: 'GET',
          url: '/api/keys',
          headers: { authorization: `Bearer ${ADMIN_KEY}` },
        });
        // A limit of 1 per minute, yet every call passes: the limiter could not count.
        expect(response.statusCode).toBe(200);
      }
      // Liveness bound, not a speed target: three calls with two limiter checks each.
      expect(performance.now() - started).toBeLessThan(2000);
      const scraped = await app.inject({ method: 'GET', url: '/metrics' });
      expect(scraped.body).toMatch(/^chatmark_rate_limit_errors_total 6$/m);
      expect(warnings).toHaveLength(1);
      await app.close();
    } finally {
      client.disconnect();
      await close();
      await store.close();
    }
  });
});
