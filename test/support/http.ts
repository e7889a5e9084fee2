import type { FastifyInstance } from 'fastify';

/** A phone browser's user agent: a person, not a bot. */
export const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** The admin key every test server starts with (server.ts configures it; `api` sends it). */
export const ADMIN_KEY = 'cm_testadmin_0123456789abcdefghijklmnop';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Makes a test server listen on a free loopback port (so requests take the production path: the
 * redirect's fast path, real sockets) and returns its origin; once per server, however often asked.
 */
export async function listen(server: { app: FastifyInstance }): Promise<string> {
  if (!server.app.server.listening) await server.app.listen({ port: 0, host: '127.0.0.1' });
  const address = server.app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('not listening');
  return `http://127.0.0.1:${address.port}`;
}

/** An API call over real HTTP with the admin key; the body parsed when there is one. */
export async function api(base: string, method: string, path: string, body?: unknown) {
  const response = await fetch(base + path, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_KEY}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A short link followed once by a phone, without following the redirect. */
export const follow = (base: string, code: string) =>
  fetch(`${base}/${code}`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA } });

/** Polls `check` until it holds or `ms` pass; returns whether it held. */
export async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() > until) return false;
    await sleep(100);
  }
}

/** A labelled counter from the server's own `/metrics`, e.g. `chatmark_redirects_total` by `outcome`. */
export async function metricCounts(
  t: { call(method: 'GET', url: string): Promise<{ body: string }> },
  name: string,
  label: string,
): Promise<Record<string, number>> {
  const text = (await t.call('GET', '/metrics')).body;
  const counts: Record<string, number> = {};
  const line = new RegExp(`^${name}\\{${label}="(\\w+)"\\} (\\d+)$`, 'gm');
  for (const [, value, n] of text.matchAll(line)) if (value) counts[value] = Number(n);
  return counts;
}
