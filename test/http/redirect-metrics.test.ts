import { afterEach, beforeEach, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';
import { listen, metricCounts, PHONE_UA } from '../support/http.js';

/** chatmark_redirects_total by outcome, from the server's own /metrics. */
const redirects = (t: TestServer) => metricCounts(t, 'chatmark_redirects_total', 'outcome');

// The fast path counts redirects in plain numbers and hands them to prom-client when /metrics is
// scraped: every redirect is counted exactly once, however the scrapes fall between them.
describeEachBackend('redirect metrics', (backend) => {
  let t: TestServer;
  let base: string;
  beforeEach(async () => {
    t = await startTestServer(backend);
    base = await listen(t.server);
  });
  afterEach(async () => {
    await t?.close();
  });

  it('counts each redirect answered by the fast path once, by outcome, across scrapes', async (ctx) => {
    if (backend.skipReason) ctx.skip(backend.skipReason);
    const link = (
      await t.call('POST', '/api/links', { channel: 'whatsapp', target: { phone: '+447911123456' } })
    ).json() as { code: string };
    const get = (path: string, headers: Record<string, string> = { 'user-agent': PHONE_UA }) =>
      fetch(`${base}${path}`, { redirect: 'manual', headers });
    const statuses = await Promise.all(
      Array.from({ length: 7 }, () => get(`/${link.code}`).then((r) => r.status)),
    );
    expect(statuses).toEqual(Array(7).fill(302));
    expect(await redirects(t)).toMatchObject({ redirect: 7 });
    // Counted again after a scrape: added to what the counter holds, not counted twice.
    for (const path of [`/${link.code}`, `/${link.code}`, '/nosuchcode1'])
      expect((await get(path)).status).not.toBe(500);
    const after = await redirects(t);
    expect(after.redirect).toBe(9);
    expect(after['404']).toBe(1);
    expect(await redirects(t)).toEqual(after);
  });
});
