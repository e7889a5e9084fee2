import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';
import { listen, PHONE_UA } from '../support/http.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

/** One real HTTP request (the fast path answers `GET /<code>` before Fastify sees it). */
function get(port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, headers: { 'user-agent': PHONE_UA }, timeout: 2000 },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to ${path} within 2 s`)));
    req.on('error', reject);
    req.end();
  });
}

// Printable ASCII only: what Node accepts in a header, and what a browser reads as one URL.
const ASCII_HEADER = /^[\x21-\x7e]+$/;

describeEachBackend('hostile URLs never take the server down (a listening server)', (backend) => {
  let t: TestServer;
  let port: number;
  beforeAll(async () => {
    if (backend.skipReason) return;
    t = await startTestServer(backend);
    port = Number(new URL(await listen(t.server)).port);
  });
  afterAll(async () => t?.close());

  async function alive(): Promise<void> {
    expect((await get(port, '/healthz')).status).toBe(200);
  }

  it('stores a non-ASCII web URL serialised and redirects to its ASCII form', async () => {
    const created = await t.call('POST', '/api/links', {
      channel: 'web',
      target: { url: 'https://shop.example/товары?q=чай#отзывы' },
      utm: { source: 'канал', campaign: 'весна' },
    });
    expect(created.statusCode).toBe(201);
    const { code, id } = created.json();
    const stored = await t.call('GET', `/api/links/${id}`);
    expect(stored.json().target.url).toBe(
      'https://shop.example/%D1%82%D0%BE%D0%B2%D0%B0%D1%80%D1%8B?q=%D1%87%D0%B0%D0%B9#%D0%BE%D1%82%D0%B7%D1%8B%D0%B2%D1%8B',
    );

    const answer = await get(port, `/${code}`);
    expect(answer.status).toBe(302);
    const location = String(answer.headers.location);
    expect(location).toMatch(ASCII_HEADER);
    expect(location).toContain('/%D1%82%D0%BE%D0%B2%D0%B0%D1%80%D1%8B?q=%D1%87%D0%B0%D0%B9&');
    expect(location).toContain('utm_source=%D0%BA%D0%B0%D0%BD%D0%B0%D0%BB');
    expect(new URL(location).searchParams.get('utm_campaign')).toBe('весна');
    await alive();
  });

  it('puts an internationalised host in punycode', async () => {
    const created = await t.call('POST', '/api/links', {
      channel: 'web',
      target: { url: 'https://bücher.example/' },
    });
    expect(created.statusCode).toBe(201);
    const answer = await get(port, `/${created.json().code}`);
    expect(answer.status).toBe(302);
    expect(String(answer.headers.location)).toMatch(/^https:\/\/xn--bcher-kva\.example\/\?/);
    await alive();
  });

  it.each([
    ['a line break', 'https://shop.example/a\r\nSet-Cookie: x=1'],
    ['a tab', 'https://shop.example/a\tb'],
    ['a NUL', 'https://shop.example/a\u0000b'],
    ['a C1 control', 'https://shop.example/a\u0085b'],
  ])('refuses a web URL with %s (422 invalid_url)', async (_what, url) => {
    const response = await t.call('POST', '/api/links', { channel: 'web', target: { url } });
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({ code: 'invalid_url', field: 'url' });
  });

  it('refuses a Telegram share URL with a line break and stores a good one serialised', async () => {
    const bad = await t.call('POST', '/api/links', {
      channel: 'telegram',
      target: { shareUrl: 'https://shop.example/\nx' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toMatchObject({ code: 'invalid_url', field: 'shareUrl' });

    const good = await t.call('POST', '/api/links', {
      channel: 'telegram',
      target: { shareUrl: 'https://shop.example/товары' },
    });
    expect(good.statusCode).toBe(201);
    expect(good.json().target.shareUrl).toBe('https://shop.example/%D1%82%D0%BE%D0%B2%D0%B0%D1%80%D1%8B');
    const answer = await get(port, `/${good.json().code}`);
    expect(answer.status).toBe(302);
    expect(String(answer.headers.location)).toMatch(ASCII_HEADER);
  });

  it.each([
    ['raw non-ASCII text', 'https://shop.example/товары'],
    ['a line break (a header injection attempt)', 'https://shop.example/a\r\nSet-Cookie: x=1'],
    ['a lone surrogate', 'https://shop.example/\udc00'],
    ['no URL at all', 'товары'],
  ])('answers a row stored before the fix with %s (302 ASCII or 500), and stays up', async (_what, url) => {
    const created = await t.call('POST', '/api/links', {
      channel: 'web',
      target: { url: 'https://shop.example/' },
    });
    const { id, code } = created.json();
    // Old data: written straight into the store, as rows written before URLs were serialised.
    await t.server.store.db
      .updateTable('links')
      .set({ target: JSON.stringify({ url }) })
      .where('id', '=', id)
      .execute();

    for (let attempt = 0; attempt < 2; attempt += 1) {
      const answer = await get(port, `/${code}`);
      expect([302, 500]).toContain(answer.status);
      if (answer.status === 302) {
        expect(String(answer.headers.location)).toMatch(ASCII_HEADER);
        expect(answer.headers['set-cookie']).toBeUndefined();
      }
      await alive();
    }
    expect((await t.call('GET', '/api/links')).statusCode).toBe(200);
  });
});
