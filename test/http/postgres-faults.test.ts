import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildServer } from '../../src/server.js';
import { ADMIN_KEY, startTestServer, type TestServer } from '../support/server.js';
import { BACKENDS, POSTGRES_URL } from '../support/services.js';
import { deadPort, startSilentServer, startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { api, eventually, follow, listen, sleep } from '../support/http.js';

const postgres = BACKENDS.find((b) => b.name === 'postgres')!;
/** A PostgreSQL URL whose host and port are replaced (same database, user and options). */
function urlAt(port: number, password?: string): string {
  const url = new URL(POSTGRES_URL);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  if (password) url.password = password;
  return url.href;
}

const WEB_LINK = { channel: 'web', target: { url: 'https://shop.example/spring' } };

describe('PostgreSQL faults: a dropped or unreachable database', () => {
  beforeEach((ctx) => {
    if (postgres.skipReason) ctx.skip(postgres.skipReason);
  });
  let t: TestServer | undefined;
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await proxy?.restore();
    await t?.close();
    await proxy?.close();
    t = undefined;
    proxy = undefined;
  });

  it('survives pg_terminate_backend during traffic: 503 or success, then success again', async () => {
    t = await startTestServer(postgres);
    const base = await listen(t.server);
    const link = await api(base, 'POST', '/api/links', WEB_LINK);
    expect(link.status).toBe(201);
    const code = String(link.body.code);
    expect((await follow(base, code)).status).toBe(302);

    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    const terminate = async () =>
      (
        await admin.query<{ n: string }>(
          `select count(pg_terminate_backend(pid)) as n from pg_stat_activity where application_name = $1`,
          [`chatmark:${t!.env.DATABASE_SCHEMA}`],
        )
      ).rows[0]!.n;

    const statuses: number[] = [];
    const codes = new Set<string>();
    const redirects: number[] = [];
    let running = true;
    const traffic = (async () => {
      while (running) {
        const [list, created, redirect] = await Promise.all([
          api(base, 'GET', '/api/links'),
          api(base, 'POST', '/api/links', WEB_LINK),
          follow(base, code),
        ]);
        for (const r of [list, created]) {
          statuses.push(r.status);
          if (r.status >= 500) codes.add(String((r.body.error as { code?: string } | undefined)?.code));
        }
        redirects.push(redirect.status);
      }
    })();
    let terminated = 0;
    for (let round = 0; round < 5; round++) {
      await sleep(150);
      terminated += Number(await terminate());
    }
    running = false;
    await traffic;
    await admin.end();

    expect(terminated).toBeGreaterThan(0); // the test did drop the server's connections
    expect(statuses.filter((s) => ![200, 201, 503].includes(s))).toEqual([]);
    expect([...codes].filter((c) => c !== 'store_unavailable')).toEqual([]);
    // A cached link keeps redirecting whatever happens to the database connections.
    expect(redirects.filter((s) => s !== 302)).toEqual([]);
    // And the server recovers by itself.
    expect(await eventually(async () => (await api(base, 'GET', '/api/links')).status === 200, 5_000)).toBe(
      true,
    );
    expect((await api(base, 'POST', '/api/links', WEB_LINK)).status).toBe(201);
  });

  it('answers 503 while a proxy to the database is cut, keeps redirecting cached links, and recovers', async () => {
    proxy = await startTcpProxy(Number(new URL(POSTGRES_URL).port || 5432));
    t = await startTestServer(postgres, { DATABASE_URL: urlAt(proxy.port) });
    const base = await listen(t.server);
    const link = await api(base, 'POST', '/api/links', WEB_LINK);
    const code = String(link.body.code);
    expect((await follow(base, code)).status).toBe(302);

    await proxy.cut();
    const during = await api(base, 'GET', '/api/links');
    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({ error: { code: 'store_unavailable' } });
    expect((await api(base, 'POST', '/api/links', WEB_LINK)).status).toBe(503);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    for (let i = 0; i < 5; i++) {
      const redirect = await follow(base, code);
      expect(redirect.status).toBe(302);
      expect(redirect.headers.get('location')).toMatch(/^https:\/\/shop\.example\/spring/);
    }
    // A code no server has cached needs the store: that one request is refused, the server goes on.
    const uncached = await follow(base, 'notcached1');
    expect(uncached.status).toBe(503);
    expect(uncached.headers.get('retry-after')).toBe('2');
    expect((await follow(base, code)).status).toBe(302);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^chatmark_store_up 0$/m);

    await proxy.restore();
    expect(await eventually(async () => (await api(base, 'GET', '/api/links')).status === 200, 5_000)).toBe(
      true,
    );
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await api(base, 'POST', '/api/links', WEB_LINK)).status).toBe(201);
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^chatmark_store_up 1$/m);
  });

  it('keeps redirecting without a token once the reserved click numbers run out during an outage', async () => {
    proxy = await startTcpProxy(Number(new URL(POSTGRES_URL).port || 5432));
    // Blocks of 4 numbers: one in use and one spare last 8 clicks (5,000 each in production).
    t = await startTestServer(postgres, { DATABASE_URL: urlAt(proxy.port) }, undefined, {
      clickBlockSize: 4,
    });
    const base = await listen(t.server);
    const web = String((await api(base, 'POST', '/api/links', WEB_LINK)).body.code);
    const chat = String(
      (
        await api(base, 'POST', '/api/links', {
          channel: 'whatsapp',
          target: { phone: '+447911123456' },
          text: 'Hi',
        })
      ).body.code,
    );
    expect((await follow(base, web)).status).toBe(302);
    expect((await follow(base, chat)).headers.get('location')).toMatch(/ref%20[0-9A-Z]{4}-[0-9A-Z]{4}/);

    await proxy.cut();
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await follow(base, web), await follow(base, chat));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 302));
    const untracked = answers.filter((a) => a.headers.get('x-chatmark-click') === null);
    expect(untracked.length).toBeGreaterThan(0);
    for (const a of untracked) {
      const location = a.headers.get('location') ?? '';
      if (location.startsWith('https://shop.example/')) {
        expect(location).toMatch(/utm_source=/);
        expect(location).not.toMatch(/cm_click/);
      } else {
        expect(location).toMatch(/^https:\/\/wa\.me\/447911123456\?text=Hi$/);
      }
    }
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^chatmark_redirects_total\{outcome="unrecorded"\} \d+$/m);
  });

  it('answers 503 when a statement outlives DATABASE_STATEMENT_TIMEOUT_MS (a table locked by another session)', async () => {
    t = await startTestServer(postgres, { DATABASE_STATEMENT_TIMEOUT_MS: '300' });
    expect((await t.call('POST', '/api/links', WEB_LINK)).statusCode).toBe(201);
    const locker = new pg.Client({ connectionString: POSTGRES_URL });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query(`lock table ${t.env.DATABASE_SCHEMA}.links in access exclusive mode`);
      const started = Date.now();
      const blocked = await t.call('GET', '/api/links');
      expect(Date.now() - started).toBeLessThan(5_000); // not until the lock is released
      expect(blocked.statusCode).toBe(503);
      expect(blocked.json().error).toMatchObject({ code: 'store_unavailable' });
      expect(blocked.json().error.message).toMatch(/in time/);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    expect((await t.call('GET', '/api/links')).statusCode).toBe(200);
  });

  const start = (url: string) =>
    buildServer(
      loadConfig({ DATABASE_URL: url, DATABASE_SCHEMA: 'never_made', CHATMARK_API_KEY: ADMIN_KEY }),
      {
        logger: false,
      },
    );

  it('fails to start against a dead port with an error naming the database, without its password', async () => {
    const port = await deadPort();
    const error = await start(urlAt(port, 's3cret-pw')).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      new RegExp(`^cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
    expect(error?.message).not.toContain('s3cret-pw');
  });

  it('fails to start within the connect timeout against a socket that accepts and never answers', async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      const error = await start(urlAt(silent.port)).then(
        () => null,
        (e: unknown) => e as Error,
      );
      // The connect timeout is 5 s; without one this never returns.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(error?.message).toMatch(
        new RegExp(`^cannot reach PostgreSQL at 127\\.0\\.0\\.1:${silent.port}: .*timeout`, 'i'),
      );
    } finally {
      await silent.close();
    }
  }, 20_000);
});
