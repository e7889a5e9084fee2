import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildServer, type Server } from '../../src/server.js';
import { ADMIN_KEY, SECRET_KEY, startTestServer, type TestServer } from '../support/server.js';
import {
  describeEachBackend,
  POSTGRES_URL,
  REDIS_URL,
  redisProblem,
  scaleOutProblem,
} from '../support/services.js';
import { startSilentServer, startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { api, eventually, follow, listen, sleep } from '../support/http.js';

const WEB_LINK = { channel: 'web', target: { url: 'https://shop.example/spring' } };
const redisHealth = async (base: string) =>
  ((await (await fetch(`${base}/healthz`)).json()) as { redis?: string }).redis;

const redisPort = () => Number(new URL(REDIS_URL).port || 6379);
const redisUrlAt = (port: number) => {
  const url = new URL(REDIS_URL);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.href;
};

describeEachBackend('Redis is optional and degrades', (backend) => {
  let t: TestServer | undefined;
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await proxy?.restore();
    await t?.close();
    await proxy?.close();
    t = undefined;
    proxy = undefined;
  });

  it('starts and serves with REDIS_URL unreachable: API and redirects work, health says Redis is down', async () => {
    const started = Date.now();
    t = await startTestServer(backend, {
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_PREFIX: 'unreachable:',
    });
    // It does not wait for Redis (the old client never got this far); the bound is generous
    // because PostgreSQL's migrations at start are slow on a busy machine.
    expect(Date.now() - started).toBeLessThan(15_000);
    const base = await listen(t.server);
    const link = await api(base, 'POST', '/api/links', WEB_LINK);
    expect(link.status).toBe(201);
    expect((await api(base, 'GET', '/api/links')).status).toBe(200);
    expect((await api(base, 'PATCH', `/api/links/${link.body.id}`, { variant: 'b' })).status).toBe(200);
    const redirect = await follow(base, String(link.body.code));
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(/^https:\/\/shop\.example\/spring/);
    expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ status: 'ok', redis: 'down' });
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^chatmark_redis_up 0$/m);
  });

  it('starts and serves against a Redis that accepts connections and never answers', async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      t = await startTestServer(backend, { REDIS_URL: `redis://127.0.0.1:${silent.port}` });
      expect(Date.now() - started).toBeLessThan(15_000);
      const base = await listen(t.server);
      const link = await api(base, 'POST', '/api/links', WEB_LINK);
      expect(link.status).toBe(201);
      expect((await follow(base, String(link.body.code))).status).toBe(302);
      expect(await redisHealth(base)).toBe('down');
    } finally {
      await t?.close();
      t = undefined;
      await silent.close();
    }
  });

  describe('with Redis behind a proxy that is cut mid-run', () => {
    beforeEach((ctx) => {
      if (redisProblem) ctx.skip(redisProblem);
    });

    it('answers API calls 2xx and redirects while cut, and reconnects after restore', async () => {
      proxy = await startTcpProxy(redisPort());
      t = await startTestServer(backend, {
        REDIS_URL: redisUrlAt(proxy.port),
        REDIS_PREFIX: `test:redis-faults:${Date.now()}:`,
      });
      const base = await listen(t.server);
      expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ redis: 'up' });
      const link = await api(base, 'POST', '/api/links', WEB_LINK);
      const code = String(link.body.code);
      expect((await follow(base, code)).status).toBe(302);

      await proxy.cut();
      expect(await eventually(async () => (await redisHealth(base)) === 'down', 3_000)).toBe(true);
      const created = await api(base, 'POST', '/api/links', WEB_LINK);
      expect(created.status).toBe(201);
      expect((await api(base, 'GET', '/api/links')).status).toBe(200);
      expect((await api(base, 'PATCH', `/api/links/${link.body.id}`, { variant: 'b' })).status).toBe(200);
      expect((await follow(base, code)).status).toBe(302);
      expect((await follow(base, String(created.body.code))).status).toBe(302);

      await proxy.restore();
      expect(await eventually(async () => (await redisHealth(base)) === 'up', 10_000)).toBe(true);
      expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^chatmark_redis_up 1$/m);
      expect((await api(base, 'GET', '/api/links')).status).toBe(200);
    }, 20_000);
  });
});

/**
 * Item 2.4: a write that committed never answers 500 because Redis is away, and its cache
 * invalidation still happens once Redis is back, on every server.
 */
describe('a committed write while Redis is cut: two servers on one PostgreSQL', () => {
  beforeEach((ctx) => {
    if (scaleOutProblem) ctx.skip(scaleOutProblem);
  });
  const schema = `rf_${process.pid}_${Date.now().toString(36)}`;
  let servers: Server[] = [];
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await proxy?.restore();
    for (const server of servers) await server.close();
    await proxy?.close();
    servers = [];
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });

  it('archives the link with a 2xx, and every server answers 410 within seconds of Redis returning', async () => {
    proxy = await startTcpProxy(redisPort());
    const env = {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'chatmark-rf-')),
      DATABASE_URL: POSTGRES_URL,
      DATABASE_SCHEMA: schema,
      CHATMARK_SECRET_KEY: SECRET_KEY,
      REDIS_URL: redisUrlAt(proxy.port),
      REDIS_PREFIX: `test:${schema}:`,
      CHATMARK_API_KEY: ADMIN_KEY,
    };
    servers = [
      await buildServer(loadConfig(env), { logger: false }),
      await buildServer(loadConfig(env), { logger: false }),
    ];
    const [a, b] = await Promise.all(servers.map(listen));
    const link = await api(a!, 'POST', '/api/links', WEB_LINK);
    const code = String(link.body.code);
    // Both servers cache the link (in process and in Redis).
    expect((await follow(a!, code)).status).toBe(302);
    expect((await follow(b!, code)).status).toBe(302);

    await proxy.cut();
    const archived = await api(a!, 'DELETE', `/api/links/${link.body.id}`);
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).toEqual(expect.any(String));
    expect((await api(b!, 'GET', `/api/links/${link.body.id}`)).body.archivedAt).toEqual(expect.any(String));
    expect((await follow(a!, code)).status).toBe(410);
    expect(await (await fetch(`${a}/metrics`)).text()).toMatch(/^chatmark_link_cache_errors_total [1-9]/m);

    await sleep(500);
    await proxy.restore();
    for (const base of [a!, b!]) {
      expect(await eventually(async () => (await follow(base, code)).status === 410, 5_000)).toBe(true);
    }

    // B's pub/sub connection came back subscribed (ioredis re-subscribes on reconnect).
    const heard: string[] = [];
    servers[1]!.subscriber?.on('message', (_channel: string, message: string) => heard.push(message));
    const publisher = new Redis(REDIS_URL);
    try {
      expect(
        await eventually(async () => {
          await publisher.publish(`test:${schema}:link-invalidate`, 'probe');
          return heard.includes('probe');
        }, 5_000),
      ).toBe(true);
    } finally {
      publisher.disconnect();
    }
  }, 20_000);
});
