import { afterEach, beforeEach, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';

const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** chatmark_redirects_total by outcome, from the server's own /metrics. */
async function redirects(t: TestServer): Promise<Record<string, number>> {
  const text = (await t.call('GET', '/metrics')).body;
  const counts: Record<string, number> = {};
  for (const [, outcome, n] of text.matchAll(/^chatmark_redirects_total\{outcome="(\w+)"\} (\d+)$/gm))
    if (outcome) counts[outcome] = Number(n);
  return counts;
}

// The fast path counts redirects in plain numbers and hands them to prom-client when /metrics is
// scraped: every redirect is counted exactly once, however the scrapes fall between them.
describeEachBackend('redirect metrics', (backend) => {
  let t: TestServer;
  let base: string;
  beforeEach(async () => {
    t = await startTestServer(backend);
    base = await t.server.app.listen({ port: 0, host: '127.0.0.1' });
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
