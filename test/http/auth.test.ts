import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import { listen } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { BACKENDS, describeEachBackend, dropTestSchemas } from '../support/services.js';

/** A raw request on a socket: the path goes out byte for byte (no client-side normalisation). */
function rawRequest(
  port: number,
  method: string,
  path: string,
  body?: unknown,
  key?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          ...(payload !== undefined && { 'content-type': 'application/json' }),
          ...(key && { authorization: `Bearer ${key}` }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A concrete path for a route pattern: `:id` → 1, `*` → x. */
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, '1').replace(/\*/g, 'x');

// POST routes a viewer may call because they compute an answer and store nothing.
const READ_ONLY_POSTS = new Set(['POST /api/links/preview', 'POST /api/experiments/compare']);

// Every route reachable without a key, reviewed: redirects, tracking, signed webhooks, docs,
// health, metrics, the dashboard's files. A new public route fails this test until it is added here.
const PUBLIC_ROUTES = [
  /^(GET|HEAD) \/:code$/,
  /^(GET|HEAD) \/(healthz|metrics|openapi\.json|p\.gif)$/,
  /^(POST|OPTIONS) \/api\/track\/visit$/,
  /^(GET|HEAD|POST) \/webhooks\/[a-z]+(\/[a-z]+)?$/,
  /^(GET|HEAD) \/docs(\/.*)?$/,
  /^(GET|HEAD) \/(app\/\*|index\.html|assets\/[^/]+|)$/,
];

describeEachBackend('authorization on the matched route', (backend) => {
  let t: TestServer;
  let port: number;
  let viewer: string;
  let editor: string;
  beforeAll(async () => {
    if (backend.skipReason) return;
    // Walking every route without a key is many failed authentications: not what this file tests.
    t = await startTestServer(backend, { AUTH_FAILURES_PER_MINUTE: '0' });
    port = Number(new URL(await listen(t.server)).port);
    viewer = (await t.call('POST', '/api/keys', { name: 'viewer', role: 'viewer' })).json().secret;
    editor = (await t.call('POST', '/api/keys', { name: 'editor', role: 'editor' })).json().secret;
  });
  afterAll(async () => t?.close());

  const counts = async () => ({
    campaigns: (await t.call('GET', '/api/campaigns')).json().campaigns.length as number,
    links: (await t.call('GET', '/api/links')).json().links.length as number,
  });

  // What the router makes of each spelling: the ones it maps onto /api/campaigns need the key
  // (401); the others match no route (404). None may create anything.
  const variants: Array<[string, number]> = [
    ['/%61pi/campaigns', 401],
    ['/%61%70%69/%63ampaigns', 401],
    ['/api/campaign%73', 401],
    ['/API/campaigns', 404],
    ['//api/campaigns', 404],
    ['/api/../api/campaigns', 404],
    ['/api%2fcampaigns', 404],
    ['/api%2Fcampaigns', 404],
    ['/%2fapi/campaigns', 404],
    ['/api/campaigns/', 404],
    ['/api/campaigns?x=/api/track/', 401],
  ];

  it.each(variants)('refuses POST %s without a key (%i) and creates nothing', async (path, status) => {
    const before = await counts();
    const body = { name: 'no key', owner: 'attacker' };
    const onSocket = await rawRequest(port, 'POST', path, body);
    expect(onSocket.status).toBe(status);
    expect(JSON.parse(onSocket.body).error.code).toBe(status === 401 ? 'unauthorized' : 'route_not_found');
    const injected = await t.call('POST', path, body, { key: null });
    // inject resolves `..` before routing (a socket does not): then it is /api/campaigns itself.
    expect(injected.statusCode).toBe(path.includes('/../') ? 401 : status);
    const links = await rawRequest(port, 'POST', path.replace('campaign', 'link'), {
      url: 'https://evil.example/',
    });
    expect([401, 404]).toContain(links.status);
    expect(await counts()).toEqual(before);
  });

  it('refuses the encoded path to a viewer key (403) and takes it from an editor key', async () => {
    const before = await counts();
    const refused = await rawRequest(port, 'POST', '/%61pi/campaigns', { name: 'v', owner: 'v' }, viewer);
    expect(refused.status).toBe(403);
    expect((await counts()).campaigns).toBe(before.campaigns);
    const taken = await rawRequest(port, 'POST', '/%61pi/campaigns', { name: 'e', owner: 'e' }, editor);
    expect(taken.status).toBe(201);
    expect((await counts()).campaigns).toBe(before.campaigns + 1);
  });

  it('states a role on every route, and only the reviewed ones are public', () => {
    const routes = t.server.app.routeRoles;
    expect(routes.length).toBeGreaterThan(40);
    const publicOnes = routes.filter((r) => r.role === 'public').map((r) => `${r.method} ${r.url}`);
    for (const route of publicOnes)
      expect(
        PUBLIC_ROUTES.some((p) => p.test(route)),
        route,
      ).toBe(true);
    for (const route of routes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/track/'))) {
      expect(route.role, `${route.method} ${route.url}`).not.toBe('public');
    }
  });

  it('answers 401 without a key on every keyed route', async () => {
    const keyed = t.server.app.routeRoles.filter((r) => r.role !== 'public' && r.method !== 'HEAD');
    expect(keyed.length).toBeGreaterThan(25);
    for (const route of keyed) {
      const response = await t.call(route.method as 'GET', concrete(route.url), {}, { key: null });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('answers 403 to a viewer key on every API route that writes, and the viewer writes nothing', async () => {
    const before = await counts();
    const writes = t.server.app.routeRoles.filter(
      (r) => r.role !== 'public' && !['GET', 'HEAD', 'OPTIONS'].includes(r.method),
    );
    expect(writes.length).toBeGreaterThan(10);
    for (const route of writes) {
      const name = `${route.method} ${route.url}`;
      const response = await t.call(route.method as 'POST', concrete(route.url), {}, { key: viewer });
      if (READ_ONLY_POSTS.has(name)) {
        expect(route.role, name).toBe('viewer');
        expect(response.statusCode, name).not.toBe(403);
      } else {
        expect(response.statusCode, name).toBe(403);
        expect(response.json().error.code).toBe('forbidden');
      }
    }
    // The read-only POSTs, called for real, store nothing either.
    const preview = await t.call(
      'POST',
      '/api/links/preview',
      { channel: 'messenger', target: { page: 'acmestore' } },
      { key: viewer },
    );
    expect(preview.statusCode).toBe(200);
    expect(await counts()).toEqual(before);
  });

  it('answers an unknown path 404 to anyone (the not-found handler is public)', async () => {
    const response = await t.call('GET', '/api/nope', undefined, { key: null });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('route_not_found');
  });

  it('still serves the public routes without a key: docs, OpenAPI, health, metrics', async () => {
    for (const path of ['/docs', '/docs/static/index.html', '/openapi.json', '/healthz', '/metrics']) {
      const response = await t.call('GET', path, undefined, { key: null });
      expect([200, 302], path).toContain(response.statusCode);
    }
    expect((await t.call('GET', '/docs/static/swagger-ui.css', undefined, { key: null })).statusCode).toBe(
      200,
    );
    expect((await t.call('GET', '/docs/json', undefined, { key: null })).statusCode).toBe(200);
  });
});

describe('routes without a role', () => {
  afterAll(dropTestSchemas);

  it('are refused at start, naming the method and URL', async () => {
    const sqlite = BACKENDS[0]!;
    const store = await sqlite.open();
    try {
      await expect(
        createApp({
          config: loadConfig({}),
          store,
          logger: false,
          routes: [(app) => void app.post('/api/forgotten', async () => ({ ok: true }))],
        }),
      ).rejects.toThrow("Route POST /api/forgotten states no role: add config: { role: 'public'");
    } finally {
      await store.close();
    }
  });
});

describe('the request log', () => {
  let t: TestServer;
  const lines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    t = await startTestServer(BACKENDS[0]!, {}, undefined, {
      logger: { level: 'info', stream: { write: (line) => void lines.push(JSON.parse(line)) } },
    });
  });
  afterAll(async () => t?.close());

  it('records every write with the matched route, the status and the key, never the raw path', async () => {
    const viewer = (await t.call('POST', '/api/keys', { name: 'v', role: 'viewer' })).json();
    lines.length = 0;
    await t.call('POST', '/%61pi/campaigns', { name: 'x', owner: 'x' }, { key: null });
    await t.call('POST', '/%61pi/campaigns', { name: 'x', owner: 'x' }, { key: viewer.secret });
    await t.call('POST', '/api/campaigns', { name: 'y', owner: 'y' });
    const api = lines.filter((line) => line.msg === 'api');
    expect(api).toEqual([
      expect.objectContaining({ method: 'POST', route: '/api/campaigns', status: 401, key: null }),
      expect.objectContaining({ method: 'POST', route: '/api/campaigns', status: 403, key: viewer.key.id }),
      expect.objectContaining({
        method: 'POST',
        route: '/api/campaigns',
        status: 201,
        key: expect.any(Number),
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('%61pi');
    expect(JSON.stringify(lines)).not.toContain(viewer.secret);
  });
});
