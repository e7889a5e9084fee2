import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildServer, type Server } from '../../src/server.js';
import type { ClickRecord } from '../../src/store/clicks.repository.js';
import { openStore } from '../../src/store/open-store.js';
import { clickRecord } from '../support/clicks.js';
import { ADMIN_KEY, SECRET_KEY } from '../support/server.js';
import { POSTGRES_URL, BACKENDS } from '../support/services.js';

const postgresProblem = BACKENDS.find((b) => b.name === 'postgres')?.skipReason ?? null;
const AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
];

/** GETs `path` over keep-alive connections, `connections` at a time, for `ms`; counts the answers by status. */
async function hammer(port: number, path: string, userAgent: string, connections: number, ms: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const statuses = new Map<number, number>();
  let errors = 0;
  const until = Date.now() + ms;
  const one = () =>
    new Promise<void>((resolve) => {
      const req = request(
        { port, host: '127.0.0.1', path, agent, headers: { 'user-agent': userAgent } },
        (res) => {
          res.resume();
          res.on('end', () => {
            statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end();
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until) await one();
    }),
  );
  agent.destroy();
  return { statuses, errors };
}

/**
 * Issue 10 item 3.1 (DESIGN.md scale-out: "no deadlocks"): two servers on one PostgreSQL
 * redirecting two links for two kinds of device share rollup rows; every transaction must lock
 * them in one order. Deadlocks are read from PostgreSQL's own counter, on a database of this
 * test's own so that other suites running meanwhile do not count.
 */
describe('two servers on one PostgreSQL: concurrent clicks on shared rollup rows', () => {
  const database = `chatmark_deadlocks_${process.pid}`;
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  const servers: Server[] = [];
  const admin = () => new pg.Client({ connectionString: POSTGRES_URL });
  const deadlocks = async () => {
    const client = admin();
    await client.connect();
    try {
      await client.query('select pg_stat_clear_snapshot()');
      const { rows } = await client.query<{ n: string }>(
        'select deadlocks as n from pg_stat_database where datname = $1',
        [database],
      );
      return Number(rows[0]?.n ?? 0);
    } finally {
      await client.end();
    }
  };

  beforeEach((ctx) => {
    if (postgresProblem) ctx.skip(postgresProblem);
  });
  beforeAll(async () => {
    if (postgresProblem) return;
    const client = admin();
    await client.connect();
    await client.query(`drop database if exists ${database} with (force)`);
    await client.query(`create database ${database}`);
    await client.end();
  });
  afterAll(async () => {
    if (postgresProblem) return;
    for (const server of servers) await server.close();
    const client = admin();
    await client.connect();
    await client.query(`drop database if exists ${database} with (force)`);
    await client.end();
  });

  it('commits every answered click with zero deadlocks and zero spilled batches', async () => {
    for (let i = 0; i < 2; i += 1) {
      const env = {
        DATA_DIR: mkdtempSync(join(tmpdir(), 'chatmark-dl-')),
        DATABASE_URL: url.toString(),
        CHATMARK_SECRET_KEY: SECRET_KEY,
        CHATMARK_API_KEY: ADMIN_KEY,
        RATE_LIMIT_PER_MINUTE: '0',
      };
      servers.push(await buildServer(loadConfig(env), { logger: false }));
    }
    const [a, b] = servers as [Server, Server];
    const links: { id: number; code: string }[] = [];
    for (const phone of ['+447911123456', '+447911654321']) {
      const created = await a.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ channel: 'whatsapp', target: { phone } }),
      });
      links.push(created.json());
    }
    const ports: number[] = [];
    for (const server of servers) {
      await server.app.listen({ port: 0, host: '127.0.0.1' });
      const address = server.app.server.address();
      ports.push(typeof address === 'object' && address ? address.port : 0);
    }
    const before = await deadlocks();

    // Each server: both links × both devices at once, so every batch touches the same rollup rows
    // as the other server's batches.
    const runs = await Promise.all(
      ports.flatMap((port) =>
        links.flatMap((link) => AGENTS.map((agent) => hammer(port, `/${link.code}`, agent, 4, 3000))),
      ),
    );
    const answered = runs.reduce((n, r) => n + (r.statuses.get(302) ?? 0), 0);
    expect(runs.reduce((n, r) => n + r.errors, 0)).toBe(0);
    expect(runs.every((r) => [...r.statuses.keys()].every((s) => s === 302))).toBe(true);
    expect(answered).toBeGreaterThan(200);

    const metrics = await Promise.all(
      [a, b].map(async (s) => (await s.app.inject({ method: 'GET', url: '/metrics' })).body),
    );
    for (const text of metrics) expect(text).toMatch(/^chatmark_clicks_spilled_total 0$/m);
    for (const server of servers.splice(0)) await server.close();

    // Backends flush their statistics when they end: read the counter after both pools closed.
    expect((await deadlocks()) - before).toBe(0);
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const { rows } = await client.query<{ clicks: string; hourly: string; daily: string }>(
        `select (select count(*) from clicks) as clicks,
                (select sum(clicks) from click_rollups) as hourly,
                (select sum(clicks) from click_rollups_daily) as daily`,
      );
      expect(rows[0]).toEqual({
        clicks: String(answered),
        hourly: String(answered),
        daily: String(answered),
      });
    } finally {
      await client.end();
    }
  });
  it('commits batches that touch the same rollup rows in opposite orders, from two pools at once, with zero deadlocks', async () => {
    const open = () => openStore({ kind: 'postgres', url: url.toString(), schema: 'opposite' });
    const first = await open();
    const second = await open();
    try {
      const hour = Date.UTC(2026, 10, 23, 12);
      const BATCH = 2000;
      // 500 links × 2 devices × 2 hours, each rollup row once: one server's batch sees them in one
      // order, the other's reversed (batches this large keep both statements running at once).
      const batch = (base: number, reversed: boolean): ClickRecord[] => {
        const clicks: ClickRecord[] = [];
        for (let i = 0; i < BATCH; i += 1)
          clicks.push(
            clickRecord(base + i, {
              linkId: 1 + (i % 500),
              at: hour + (Math.floor(i / 500) % 2) * 3_600_000,
              device: i < 1000 ? 'mobile' : 'desktop',
            }),
          );
        return reversed ? clicks.reverse() : clicks;
      };
      const before = await deadlocks();
      const ROUNDS = 20;
      await Promise.all(
        [first, second].map(async (store, s) => {
          for (let round = 0; round < ROUNDS; round += 1)
            await store.writeClicks(batch(10_000_000 * (s + 1) + round * BATCH, s === 1));
        }),
      );
      await first.close();
      await second.close();
      expect((await deadlocks()) - before).toBe(0);
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string }>(
          'select sum(clicks) as n from opposite.click_rollups',
        );
        expect(Number(rows[0]?.n)).toBe(2 * ROUNDS * BATCH);
      } finally {
        await client.end();
      }
    } finally {
      await first.close().catch(() => undefined);
      await second.close().catch(() => undefined);
    }
  });
});
