import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';
import { listen, PHONE_UA } from '../support/http.js';

describeEachBackend('security headers', (backend) => {
  let t: TestServer;
  let base: string;
  let code: string;
  beforeAll(async () => {
    if (backend.skipReason) return;
    t = await startTestServer(backend);
    base = await listen(t.server);
    code = (
      await t.call('POST', '/api/links', { channel: 'web', target: { url: 'https://shop.example/' } })
    ).json().code;
  });
  afterAll(async () => t?.close());

  const directives = (csp: string | null) =>
    new Map(
      (csp ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter(([name]) => name)
        .map(([name, ...values]) => [name!, values]),
    );

  it.each([
    ['the API', '/api/campaigns', 200],
    ['the API without a key', '/api/campaigns', 401],
    ['the dashboard', '/', 200],
    ['a dashboard deep link', '/app/campaigns', 200],
    ['the docs', '/docs', 200],
    ['the docs page', '/docs/static/index.html', 200],
    ['the OpenAPI document', '/openapi.json', 200],
    ['an unknown path', '/api/nope', 404],
  ])('on %s (%s → %i): CSP without framing, nosniff, no referrer', async (_what, path, status) => {
    const response = await fetch(`${base}${path}`, {
      redirect: 'manual',
      headers: status === 401 ? {} : { authorization: `Bearer ${t.env.CHATMARK_API_KEY}` },
    });
    expect([status, 302]).toContain(response.status);
    const csp = directives(response.headers.get('content-security-policy'));
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('lets landing pages on other origins load the pixel', async () => {
    const response = await fetch(`${base}/p.gif?url=https://shop.example/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('leaves the redirect its own minimal headers, on the fast path and through the router', async () => {
    const fast = await fetch(`${base}/${code}`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA } });
    const routed = await t.server.app.inject({
      method: 'GET',
      url: `/${code}`,
      headers: { 'user-agent': PHONE_UA },
    });
    expect(fast.status).toBe(302);
    expect(routed.statusCode).toBe(302);
    for (const headers of [Object.fromEntries(fast.headers), routed.headers]) {
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(headers['content-security-policy']).toBeUndefined();
      expect(headers['cross-origin-resource-policy']).toBeUndefined();
    }
  });
});
