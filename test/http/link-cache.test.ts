import { afterEach, beforeEach, expect, it } from 'vitest';
import { insertLink } from '../../src/store/links.repository.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { Redis } from 'ioredis';
import { describeEachBackend, REDIS_URL, redisProblem } from '../support/services.js';
import { listen, metricCounts, PHONE_UA } from '../support/http.js';

/** The link cache's lookups by layer, from the server's own /metrics. */
const lookups = (t: TestServer) => metricCounts(t, 'chatmark_link_cache_lookups_total', 'layer');

describeEachBackend('link cache revalidation', (backend) => {
  let t: TestServer;
  let base: string;
  beforeEach(async () => {
    t = await startTestServer(backend);
    base = await listen(t.server);
  });
  afterEach(async () => {
    await t?.close();
  });

  it('checks a hot link about once a second, not once a request, and sees a change made behind its back', async () => {
    const link = (
      await t.call('POST', '/api/links', {
        channel: 'whatsapp',
        target: { phone: '+447911123456' },
        text: 'one',
      })
    ).json() as { id: number; code: string };
    const started = performance.now();
    let requests = 0;
    while (performance.now() - started < 2_500) {
      const response = await fetch(`${base}/${link.code}`, {
        redirect: 'manual',
        headers: { 'user-agent': PHONE_UA },
      });
      expect(response.status).toBe(302);
      requests += 1;
    }
    const counts = await lookups(t);
    // Creating the link cached it already (an update or create writes its new copy through).
    expect(counts.store ?? 0).toBeLessThanOrEqual(1);
    expect((counts.lru ?? 0) + (counts.store ?? 0)).toBe(requests);
    // One version read per second of traffic (a slow machine may fit fewer requests, never more checks).
    expect(counts.version_check).toBeGreaterThanOrEqual(1);
    expect(counts.version_check).toBeLessThanOrEqual(3);
    expect(requests).toBeGreaterThan(10);

    // A change that no invalidation announced (another writer, a lost message) is served within 2 s.
    await t.server.store.db
      .updateTable('links')
      .set((eb) => ({ text: 'two', version: eb('version', '+', 1) }))
      .where('id', '=', link.id)
      .execute();
    const changed = performance.now();
    for (;;) {
      const response = await fetch(`${base}/${link.code}`, {
        redirect: 'manual',
        headers: { 'user-agent': PHONE_UA },
      });
      if (String(response.headers.get('location')).includes('text=two')) break;
      expect(performance.now() - changed).toBeLessThan(2_000);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('answers concurrent first requests for a code with one store lookup', async () => {
    // Written straight to the store: no API call has cached it.
    const link = await insertLink(
      t.server.store.db,
      {
        code: 'coldcode',
        campaignId: null,
        channel: 'whatsapp',
        target: { phone: '+447911123456' },
        text: null,
        utm: {},
        variant: null,
        expiresAt: null,
        maxClicks: null,
        createdBy: null,
      },
      t.clock.now,
    );
    // Through inject: all 20 are in flight before the first lookup can finish, on either engine.
    const statuses = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const response = await t.server.app.inject({
          method: 'GET',
          url: `/${link.code}`,
          headers: { 'user-agent': PHONE_UA },
        });
        return response.statusCode;
      }),
    );
    expect(statuses).toEqual(Array(20).fill(302));
    expect((await lookups(t)).store).toBe(1);
  });

  it('puts a hot link back in Redis when Redis lost it, so its checks stay off the store', async (ctx) => {
    if (redisProblem) ctx.skip(redisProblem);
    const prefix = `test:lc_${process.pid}_${Date.now().toString(36)}_${backend.name}:`;
    const served = await startTestServer(backend, { REDIS_URL, REDIS_PREFIX: prefix });
    const redis = new Redis(REDIS_URL);
    try {
      const link = (
        await served.call('POST', '/api/links', { channel: 'whatsapp', target: { phone: '+447911123456' } })
      ).json() as { code: string };
      const key = `${prefix}link:${link.code}`;
      expect(await redis.exists(key)).toBe(1);
      await redis.del(key); // as when it expires while the link stays hot here
      const started = performance.now();
      while (performance.now() - started < 1_500) {
        expect((await served.call('GET', `/${link.code}`)).statusCode).toBe(302);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await redis.exists(key)).toBe(1);
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await served.close();
    }
  });
});
