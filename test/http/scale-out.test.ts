import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildServer, type Server } from '../../src/server.js';
import { ADMIN_KEY } from '../support/server.js';
import { POSTGRES_URL, REDIS_URL, scaleOutProblem } from '../support/services.js';

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
