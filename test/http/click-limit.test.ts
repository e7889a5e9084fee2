import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ClickLimit } from '../../src/redirect/click-limit.js';
import { buildServer, type Server } from '../../src/server.js';
import { ADMIN_KEY, SECRET_KEY, startTestServer, type TestServer } from '../support/server.js';
import {
  BACKENDS,
  describeEachBackend,
  dropTestSchemas,
  POSTGRES_URL,
  REDIS_URL,
  scaleOutProblem,
} from '../support/services.js';
import { PHONE_UA } from '../support/http.js';

const PREVIEW_UAS = {
  whatsapp: 'WhatsApp/2.23.20.0 A',
  slack: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
};

/** Real HTTP against a listening server (the raw fast path); answers the status. */
async function follow(base: string, code: string, userAgent = PHONE_UA): Promise<number> {
  const response = await fetch(`${base}/${code}`, {
    redirect: 'manual',
    headers: { 'user-agent': userAgent },
  });
  await response.arrayBuffer();
  return response.status;
}

/** `count` concurrent clicks on `code`, spread over `bases` in turn; answers how many got each status. */
async function burst(bases: string[], code: string, count: number): Promise<Record<number, number>> {
  const statuses = await Promise.all(
    Array.from({ length: count }, (_, i) => follow(bases[i % bases.length] ?? '', code)),
  );
  const tally: Record<number, number> = {};
  for (const status of statuses) tally[status] = (tally[status] ?? 0) + 1;
  return tally;
}

async function createCapped(server: Server, maxClicks: number, channel = 'whatsapp') {
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/links',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    payload: JSON.stringify(
      channel === 'web'
        ? { channel, target: { url: 'https://shop.example/secret-offer' }, maxClicks }
        : { channel, target: { phone: '+447911123456' }, text: 'spring offer', maxClicks },
    ),
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: number; code: string };
}

async function humanClicks(server: Server, id: number): Promise<number> {
  const response = await server.app.inject({
    method: 'GET',
    url: `/api/links/${id}/stats`,
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  return (response.json() as { humanClicks: number }).humanClicks;
}

afterAll(dropTestSchemas);

describeEachBackend('ClickLimit on the store', (backend) => {
  it('counts exactly in the store, and lets clicks through (telling why) when the store fails too', async () => {
    const store = await backend.open();
    try {
      const limit = new ClickLimit({ db: store.db });
      const takes = await Promise.all(Array.from({ length: 8 }, () => limit.take(41, 5)));
      expect(takes.filter(Boolean)).toHaveLength(5);

      const failures: unknown[] = [];
      const broken = store.db.withPlugin({
        transformQuery: () => {
          throw new Error('store down');
        },
        transformResult: async (args) => args.result,
      });
      const failing = new ClickLimit({ db: broken, onFallback: (error) => failures.push(error) });
      expect(await failing.take(42, 5)).toBe(true);
      expect(String(failures[0])).toContain('store down');
    } finally {
      await store.close();
    }
  });
});

describeEachBackend('maxClicks on one server', (backend) => {
  let t: TestServer;
  let base: string;
  beforeEach(async () => {
    // A real clock: the stats below read the clicks up to now.
    t = await startTestServer(backend, {}, { now: Date.now() });
    base = await t.server.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await t?.close();
  });

  it('serves exactly the limit to concurrent requests on a cold link', async () => {
    const link = await createCapped(t.server, 10);
    const tally = await burst([base], link.code, 20);
    expect(tally).toEqual({ 302: 10, 410: 10 });
    expect(await humanClicks(t.server, link.id)).toBe(10);
    expect(await follow(base, link.code)).toBe(410);
  });

  for (const [app, userAgent] of Object.entries(PREVIEW_UAS)) {
    it(`gives a ${app} preview fetcher the preview card, without the destination, and uses nothing`, async () => {
      for (const channel of ['whatsapp', 'web']) {
        const link = await createCapped(t.server, 2, channel);
        for (let i = 0; i < 3; i += 1) {
          const response = await fetch(`${base}/${link.code}`, {
            redirect: 'manual',
            headers: { 'user-agent': userAgent },
          });
          const html = await response.text();
          expect(response.status).toBe(200);
          expect(response.headers.get('location')).toBeNull();
          expect(html).toContain('<meta name="robots" content="noindex">');
          expect(html).toContain('og:title');
          for (const secret of ['447911123456', 'spring offer', 'spring%20offer', 'shop.example', 'wa.me'])
            expect(html).not.toContain(secret);
        }
        expect(await burst([base], link.code, 4)).toEqual({ 302: 2, 410: 2 });
      }
    });
  }
});

const postgresProblem = BACKENDS.find((b) => b.name === 'postgres')?.skipReason ?? null;

/** Two composition roots on one PostgreSQL schema, with or without one Redis. */
function twoServers(withRedis: boolean) {
  const schema = `cl_${withRedis ? 'r' : 'n'}_${process.pid}_${Date.now().toString(36)}`;
  const prefix = `test:${schema}:`;
  const servers: Server[] = [];
  const bases: string[] = [];
  return {
    servers,
    bases,
    async start() {
      const env = {
        DATA_DIR: mkdtempSync(join(tmpdir(), 'chatmark-cl-')),
        DATABASE_URL: POSTGRES_URL,
        DATABASE_SCHEMA: schema,
        CHATMARK_SECRET_KEY: SECRET_KEY,
        CHATMARK_API_KEY: ADMIN_KEY,
        ...(withRedis ? { REDIS_URL, REDIS_PREFIX: prefix } : {}),
      };
      for (let i = 0; i < 2; i += 1) {
        const server = await buildServer(loadConfig(env), { logger: false });
        servers.push(server);
        bases.push(await server.app.listen({ port: 0, host: '127.0.0.1' }));
      }
    },
    async stop() {
      for (const server of servers.splice(0)) await server.close();
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
    },
  };
}

for (const withRedis of [true, false]) {
  const problem = withRedis ? scaleOutProblem : postgresProblem;
  describe(`maxClicks across two servers on PostgreSQL ${withRedis ? '+ Redis' : 'without Redis'}`, () => {
    const pair = twoServers(withRedis);
    beforeEach(async (ctx) => {
      if (problem) ctx.skip(problem);
      if (pair.servers.length === 0) await pair.start();
    });
    afterAll(async () => {
      if (pair.servers.length > 0) await pair.stop();
    });

    it('serves exactly 100 of 300 concurrent requests with a limit of 100', async () => {
      const [a] = pair.servers;
      if (!a) throw new Error('no server');
      const link = await createCapped(a, 100);
      const tally = await burst(pair.bases, link.code, 300);
      expect(tally).toEqual({ 302: 100, 410: 200 });
      expect(await humanClicks(a, link.id)).toBe(100);
    });
  });
}
