import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';

const LONE = 'x\udc00';

describeEachBackend('broken Unicode is refused everywhere', (backend) => {
  let t: TestServer;
  let campaignId: number;
  let code: string;
  beforeAll(async () => {
    if (backend.skipReason) return;
    t = await startTestServer(backend);
    const campaign = await t.call('POST', '/api/campaigns', {
      name: 'Spring',
      owner: 'ana',
      channels: ['sms'],
    });
    expect(campaign.statusCode).toBe(201);
    campaignId = campaign.json().id;
    const link = await t.call('POST', '/api/links', {
      channel: 'web',
      campaignId,
      target: { url: 'https://shop.example/spring' },
    });
    expect(link.statusCode).toBe(201);
    code = link.json().code;
  });
  afterAll(async () => t?.close());

  // JSON.stringify writes a lone surrogate as the escape "\udc00", as a client's JSON would.
  it.each([
    ['PATCH', (): string => `/api/campaigns/${campaignId}`, { utm: { source: LONE } }, 'utm.source'],
    ['POST', (): string => '/api/campaigns', { name: LONE, owner: 'ana' }, 'name'],
    [
      'POST',
      (): string => '/api/links',
      { channel: 'whatsapp', target: { phone: '+447911123456' }, text: `Hi ${LONE}` },
      'text',
    ],
    [
      'POST',
      (): string => '/api/events',
      {
        type: 'lead',
        occurredAt: '2026-11-23T10:00:00Z',
        idempotencyKey: 'k1',
        properties: { items: [{ name: LONE }] },
      },
      'properties.items.0.name',
    ],
    [
      'POST',
      (): string => '/api/events',
      { type: 'lead', occurredAt: '2026-11-23T10:00:00Z', idempotencyKey: 'k2', properties: { [LONE]: 1 } },
      `properties.${LONE}`,
    ],
    [
      'POST',
      (): string => '/api/track/visit',
      { url: 'https://shop.example/', utm_source: LONE },
      'utm_source',
    ],
  ] as const)(
    '%s %s with a lone surrogate → 422 invalid_unicode on its path',
    async (method, url, body, field) => {
      const response = await t.call(method, url(), body);
      expect(response.statusCode).toBe(422);
      expect(response.json().error).toMatchObject({ code: 'invalid_unicode' });
      expect(response.json().error.field).toBe(field);
    },
  );

  it('refuses a lone surrogate in a batch item, at the item path', async () => {
    const response = await t.call('POST', '/api/events', [
      { type: 'lead', occurredAt: '2026-11-23T10:00:00Z', idempotencyKey: 'b1' },
      { type: 'lead', occurredAt: '2026-11-23T10:00:00Z', idempotencyKey: LONE },
    ]);
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({ code: 'invalid_unicode', field: '1.idempotencyKey' });
  });

  it('keeps the campaign, its web links and the link list working after the refused PATCH', async () => {
    const patched = await t.call('PATCH', `/api/campaigns/${campaignId}`, { utm: { source: LONE } });
    expect(patched.statusCode).toBe(422);
    expect((await t.call('GET', '/api/links')).statusCode).toBe(200);
    const click = await t.server.app.inject({ method: 'GET', url: `/${code}` });
    expect(click.statusCode).toBe(302);
  });

  it('serves links whose campaign got a lone surrogate before the fix (a row written straight into the store)', async () => {
    await t.server.store.db
      .updateTable('campaigns')
      .set({ utm: JSON.stringify({ source: LONE }) })
      .where('id', '=', campaignId)
      .execute();
    const fresh = await t.call('POST', '/api/links', {
      channel: 'web',
      campaignId,
      target: { url: 'https://shop.example/old' },
    });
    expect(fresh.statusCode).toBe(201);
    expect((await t.call('GET', '/api/links')).statusCode).toBe(200);
    const click = await t.server.app.inject({ method: 'GET', url: `/${fresh.json().code}` });
    expect(click.statusCode).toBe(302);
    expect(new URL(String(click.headers.location)).searchParams.get('utm_source')).toBe('x\ufffd');
  });

  it.each([
    ['/api/campaigns', (deep: string) => `{"name":"Deep","owner":"ana","utm":${deep}}`],
    ['/api/links', (deep: string) => `{"channel":"web","target":${deep}}`],
    ['/api/events', (deep: string) => `[${deep}]`],
  ])(
    'answers a 20,000-deep body with a lone surrogate at the bottom on %s: 422, not a crash',
    async (url, body) => {
      // The JSON escape itself (\\udc00 in this source), which parses to a lone surrogate.
      const deep = `${'{"a":['.repeat(10_000)}"\\udc00"${']}'.repeat(10_000)}`;
      const response = await t.server.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${t.env.CHATMARK_API_KEY}`, 'content-type': 'application/json' },
        payload: body(deep),
      });
      expect(response.statusCode).toBe(422);
      const { error } = response.json();
      expect(error.code).toBe('invalid_unicode');
      expect(error.field).toMatch(/^[\w.]+\.…\.[\w.]+$/);
      expect(error.message.length).toBeLessThan(400);
      expect((await t.call('GET', '/healthz')).statusCode).toBe(200);
    },
  );

  it('accepts well-formed text of every plane', async () => {
    const response = await t.call('POST', '/api/campaigns', { name: 'Promoção 👋 春', owner: 'ana' });
    expect(response.statusCode).toBe(201);
  });
});
