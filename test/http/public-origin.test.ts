import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';

describeEachBackend('the origin of short links and webhook URLs', (backend) => {
  const servers: TestServer[] = [];
  const start = async (env: Record<string, string>) => {
    const t = await startTestServer(backend, { CHATMARK_BASE_URL: '', PORT: '8080', ...env });
    servers.push(t);
    return t;
  };
  let plain: TestServer;
  let proxied: TestServer;
  beforeAll(async () => {
    if (backend.skipReason) return;
    plain = await start({});
    proxied = await start({ TRUST_PROXY: '1', CHATMARK_ALLOWED_HOSTS: 'go.example.com, Links.Example:8443' });
  });
  afterAll(async () => {
    for (const t of servers) await t.close();
  });

  /** The short URL of a new link, and the first webhook URL, as shown to a request with `headers`. */
  async function origins(t: TestServer, headers: Record<string, string>) {
    const link = await t.call(
      'POST',
      '/api/links',
      { channel: 'web', target: { url: 'https://shop.example/' } },
      {
        headers,
      },
    );
    expect(link.statusCode).toBe(201);
    const listed = (await t.call('GET', `/api/links/${link.json().id}`, undefined, { headers })).json();
    const webhooks = (await t.call('GET', '/api/settings/webhooks', undefined, { headers })).json().webhooks;
    const code = link.json().code as string;
    expect(listed.shortUrl).toBe(link.json().shortUrl);
    return {
      link: (link.json().shortUrl as string).replace(`/${code}`, ''),
      webhook: new URL(webhooks[0].url as string).origin,
    };
  }

  it.each([
    ['Host: evil.example', { host: 'evil.example' }, 'http://localhost:8080'],
    ['Host: evil.example:8080', { host: 'evil.example:8080' }, 'http://localhost:8080'],
    ['Host: localhost on another port', { host: 'localhost:9999' }, 'http://localhost:8080'],
    ['Host: localhost:8080', { host: 'localhost:8080' }, 'http://localhost:8080'],
    ['Host: 127.0.0.1:8080', { host: '127.0.0.1:8080' }, 'http://127.0.0.1:8080'],
    ['Host: [::1]:8080', { host: '[::1]:8080' }, 'http://[::1]:8080'],
    // Without TRUST_PROXY the forwarded headers are not even read.
    [
      'X-Forwarded-Host with no proxy trusted',
      { host: 'localhost:8080', 'x-forwarded-host': 'evil.example' },
      'http://localhost:8080',
    ],
    [
      'X-Forwarded-Proto with no proxy trusted',
      { host: 'localhost:8080', 'x-forwarded-proto': 'https' },
      'http://localhost:8080',
    ],
  ])('without CHATMARK_BASE_URL: %s → %s', async (_what, headers, expected) => {
    expect(await origins(plain, headers)).toEqual({ link: expected, webhook: expected });
  });

  it.each([
    [
      'X-Forwarded-Host: evil.example',
      { host: 'go.example.com', 'x-forwarded-host': 'evil.example' },
      'http://localhost:8080',
    ],
    ['Host: evil.example', { host: 'evil.example' }, 'http://localhost:8080'],
    ['127.0.0.1 is not allowed once a list is set', { host: '127.0.0.1:8080' }, 'http://localhost:8080'],
    [
      'an allowed X-Forwarded-Host and -Proto',
      { host: '10.0.0.5:8080', 'x-forwarded-host': 'go.example.com', 'x-forwarded-proto': 'https' },
      'https://go.example.com',
    ],
    ['an allowed host with its port', { host: 'links.example:8443' }, 'http://links.example:8443'],
    ['an allowed host on another port', { host: 'links.example:8444' }, 'http://localhost:8080'],
    ['an allowed host in upper case', { host: 'GO.EXAMPLE.COM' }, 'http://go.example.com'],
  ])('with CHATMARK_ALLOWED_HOSTS behind a proxy: %s → %s', async (_what, headers, expected) => {
    expect(await origins(proxied, headers)).toEqual({ link: expected, webhook: expected });
  });

  it("with PORT=0 (a port the system picks) allows this machine's names on any port, nothing else", async () => {
    const anyPort = await start({ PORT: '0' });
    expect(await origins(anyPort, { host: '127.0.0.1:39383' })).toEqual({
      link: 'http://127.0.0.1:39383',
      webhook: 'http://127.0.0.1:39383',
    });
    expect((await origins(anyPort, { host: 'evil.example:39383' })).link).toBe('http://localhost:0');
  });

  it('uses CHATMARK_BASE_URL whatever the request says', async () => {
    const based = await start({ CHATMARK_BASE_URL: 'https://cm.example/', TRUST_PROXY: '1' });
    const expected = 'https://cm.example';
    const headerSets: Array<Record<string, string>> = [
      { host: 'evil.example' },
      { 'x-forwarded-host': 'evil.example' },
      { host: 'localhost:8080' },
    ];
    for (const headers of headerSets) {
      expect(await origins(based, headers)).toEqual({ link: expected, webhook: expected });
    }
  });

  it("with PORT=0 allows this machine's names on the port it got, and falls back to it", async () => {
    const t = await start({ PORT: '0' });
    await t.server.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.server.app.server.address() as AddressInfo).port;
    // node:http, not fetch: fetch does not let a caller set Host.
    const shortUrl = (host: string) =>
      new Promise<string>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/links',
            headers: {
              host,
              authorization: `Bearer ${t.env.CHATMARK_API_KEY}`,
              'content-type': 'application/json',
            },
          },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve(new URL((JSON.parse(body) as { shortUrl: string }).shortUrl).origin));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ channel: 'web', target: { url: 'https://shop.example/' } }));
      });
    expect(await shortUrl(`127.0.0.1:${port}`)).toBe(`http://127.0.0.1:${port}`);
    expect(await shortUrl(`localhost:${port}`)).toBe(`http://localhost:${port}`);
    expect(await shortUrl('evil.example')).toBe(`http://localhost:${port}`);
    expect(await shortUrl(`127.0.0.1:${port + 1}`)).toBe(`http://localhost:${port}`);
  });
});
