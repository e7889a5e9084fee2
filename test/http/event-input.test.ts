import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';

const SHOPIFY_SECRET = 'shopify-secret';
// The test server's clock: 2026-11-23T12:00:00Z.
const NOW = '2026-11-23T12:00:00Z';

let keys = 0;
const event = (fields: Record<string, unknown> = {}) => ({
  type: 'purchase',
  occurredAt: '2026-11-23T10:00:00Z',
  idempotencyKey: `order-${(keys += 1)}`,
  value: { amount: 1999, currency: 'USD' },
  ...fields,
});

/** `{"a":{"a":…1…}}`, `depth` objects deep, written as text (JSON.stringify would recurse). */
const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describeEachBackend('events, orders and visits are plausible or refused', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    if (backend.skipReason) return;
    t = await startTestServer(backend, { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET });
  });
  afterAll(async () => t?.close());

  const stored = (key: string) =>
    t.server.store.db.selectFrom('events').selectAll().where('idempotency_key', '=', key).executeTakeFirst();

  it.each([
    ['year 1', { occurredAt: '0001-01-01T00:00:00Z' }, 'invalid_time', 'occurredAt'],
    ['1999', { occurredAt: '1999-12-31T23:59:59Z' }, 'invalid_time', 'occurredAt'],
    ['year 9999', { occurredAt: '9999-12-31T00:00:00Z' }, 'invalid_time', 'occurredAt'],
    ['25 hours ahead', { occurredAt: '2026-11-24T13:00:00Z' }, 'invalid_time', 'occurredAt'],
    ['currency XYZ', { value: { amount: 100, currency: 'XYZ' } }, 'invalid_currency', 'value.currency'],
    [
      'a negative purchase',
      { value: { amount: -99999, currency: 'USD' } },
      'negative_amount',
      'value.amount',
    ],
    [
      'properties 6 levels deep',
      { properties: { a: { b: { c: { d: { e: { f: 1 } } } } } } },
      'properties_too_deep',
      'properties',
    ],
    [
      '9 KiB of properties',
      { properties: { note: 'x'.repeat(9 * 1024) } },
      'properties_too_large',
      'properties',
    ],
    [
      'an email in properties',
      { properties: { note: 'call ana@example.com' } },
      'personal_data',
      'properties.note',
    ],
    [
      'a phone in a nested property',
      { properties: { buyer: { tel: '+44 7911 123456' } } },
      'personal_data',
      'properties.buyer.tel',
    ],
    [
      'an email as a property name',
      { properties: { 'ana@example.com': true } },
      'personal_data',
      'properties.ana@example.com',
    ],
    [
      'a phone in the idempotency key',
      { idempotencyKey: 'lead-+447911123456' },
      'personal_data',
      'idempotencyKey',
    ],
    [
      'an email in the idempotency key',
      { idempotencyKey: 'ana@example.com' },
      'personal_data',
      'idempotencyKey',
    ],
  ])('refuses %s (422 %s on %s) and stores nothing', async (_what, fields, code, field) => {
    const body = event(fields);
    const response = await t.call('POST', '/api/events', body);
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({ code, field });
    expect(await stored(body.idempotencyKey)).toBeUndefined();
  });

  it.each([
    ['a day ahead, less a minute', { occurredAt: '2026-11-24T11:59:00Z' }],
    ['2000-01-01', { occurredAt: '2000-01-01T00:00:00Z' }],
    ['a negative refund', { type: 'refund', value: { amount: -1999, currency: 'EUR' } }],
    ['a currency without minor units', { value: { amount: 1500, currency: 'JPY' } }],
    ['5 levels of properties', { properties: { a: { b: { c: { d: { e: 1 } } } } } }],
    ['dates and ids in properties', { properties: { at: '2026-11-23 10:00:00', order: '1234567890123' } }],
    ['a UUID as the idempotency key', { idempotencyKey: '550e8400-e29b-41d4-a716-446655440000' }],
    ['an order id as the idempotency key', { idempotencyKey: 'ORD-2026-1123-4567' }],
  ])('accepts %s', async (_what, fields) => {
    const response = await t.call('POST', '/api/events', event(fields));
    expect(response.statusCode, response.body).toBe(201);
  });

  it('answers a 20,000-deep body with 422, not a crash or a 500', async () => {
    const response = await t.server.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: { authorization: `Bearer ${t.env.CHATMARK_API_KEY}`, 'content-type': 'application/json' },
      payload: `{"type":"lead","occurredAt":"${NOW}","idempotencyKey":"deep-1","properties":${deepJson(20_000)}}`,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({ code: 'properties_too_deep', field: 'properties' });
    expect((await t.call('GET', '/healthz')).statusCode).toBe(200);
  });

  it('refuses the bad items of a batch one by one and keeps the others', async () => {
    const payload = `[${JSON.stringify(event({ idempotencyKey: 'batch-1' }))},${JSON.stringify(
      event({ idempotencyKey: 'batch-2', value: { amount: 5, currency: 'ABC' } }),
    )},{"type":"lead","occurredAt":"${NOW}","idempotencyKey":"batch-3","properties":${deepJson(20_000)}},${JSON.stringify(
      event({ idempotencyKey: 'batch-4', occurredAt: '1970-01-01T00:00:00Z' }),
    )},${JSON.stringify(event({ idempotencyKey: 'batch-5' }))}]`;
    const response = await t.server.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: { authorization: `Bearer ${t.env.CHATMARK_API_KEY}`, 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode).toBe(200);
    const { created, errors, results } = response.json();
    expect({ created, errors }).toEqual({ created: 2, errors: 3 });
    expect(
      results.map((r: { status: string; error?: { code: string } }) => r.error?.code ?? r.status),
    ).toEqual(['created', 'invalid_currency', 'properties_too_deep', 'invalid_time', 'created']);
    expect(await stored('batch-1')).toBeDefined();
    expect(await stored('batch-5')).toBeDefined();
    expect(await stored('batch-3')).toBeUndefined();
  });

  it('refuses a made-up currency in a budget and in spend too (422 invalid_currency)', async () => {
    const budget = await t.call('POST', '/api/campaigns', {
      name: 'Budget',
      owner: 'ana',
      budgetCap: { amount: 1000, currency: 'XYZ' },
    });
    expect(budget.statusCode).toBe(422);
    expect(budget.json().error).toMatchObject({ code: 'invalid_currency', field: 'budgetCap.currency' });
    const campaign = await t.call('POST', '/api/campaigns', {
      name: 'Budget',
      owner: 'ana',
      budgetCap: { amount: 1000, currency: 'EUR' },
    });
    expect(campaign.statusCode).toBe(201);
    const spend = await t.call('POST', '/api/costs', {
      campaignId: campaign.json().id,
      date: '2026-11-20',
      spend: { amount: 500, currency: 'ABC' },
    });
    expect(spend.statusCode).toBe(422);
    expect(spend.json().error).toMatchObject({ code: 'invalid_currency', field: 'spend.currency' });
  });

  const shopify = (order: Record<string, unknown>) => {
    const body = JSON.stringify({
      id: 5551234,
      created_at: '2026-11-23T09:00:00Z',
      email: 'buyer@example.com',
      ...order,
    });
    return t.server.app.inject({
      method: 'POST',
      url: '/webhooks/shopify/orders',
      headers: {
        'content-type': 'application/json',
        'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY_SECRET).update(body).digest('base64'),
      },
      payload: body,
    });
  };

  it.each([
    ['a negative total', { id: 9001, total_price: '-50.00', currency: 'USD' }, 'negative_amount'],
    ['an unparsable total', { id: 9002, total_price: 'fifty', currency: 'USD' }, 'invalid_total'],
    ['a total finer than the currency', { id: 9003, total_price: '5.001', currency: 'USD' }, 'invalid_total'],
    ['no total at all', { id: 9004 }, 'invalid_total'],
  ])(
    'answers a Shopify order with %s 422 (Shopify retries and shows it), storing nothing',
    async (_what, order, code) => {
      const response = await shopify(order);
      expect(response.statusCode).toBe(422);
      expect(response.json().error.code).toBe(code);
      expect(await stored(`shopify:${order.id}`)).toBeUndefined();
    },
  );

  it('still records a Shopify order with a good total, and ignores a body that is no order', async () => {
    const good = await shopify({ id: 9005, total_price: '12.50', currency: 'USD' });
    expect(good.json()).toMatchObject({ recorded: 1 });
    expect(await stored('shopify:9005')).toMatchObject({ amount: 1250, currency: 'USD' });
    const notAnOrder = await shopify({ id: undefined, total_price: '1.00', currency: 'USD' });
    expect(notAnOrder.json()).toMatchObject({ ignored: 1 });
  });

  it('keeps only http(s) pages from the pixel and caps values read out of the page URL', async () => {
    const visits = () => t.server.store.db.selectFrom('landing_visits').selectAll().orderBy('id', 'desc');
    for (const url of ['javascript:alert(1)//?utm_source=x', 'data:text/html,hi']) {
      const response = await t.call('POST', '/api/track/visit', { url }, { key: null });
      expect(response.statusCode).toBe(204);
      expect(await visits().executeTakeFirst()).toMatchObject({ url: null, utm_source: null });
    }
    const long = `https://shop.example/p?utm_source=${'s'.repeat(3000)}&utm_campaign=${'😀'.repeat(150)}`;
    expect((await t.call('POST', '/api/track/visit', { url: long }, { key: null })).statusCode).toBe(204);
    const visit = await visits().executeTakeFirstOrThrow();
    expect(visit.url).toBe('https://shop.example/p');
    expect(visit.utm_source).toBe('s'.repeat(200));
    expect(visit.utm_campaign).toBe('😀'.repeat(100));
  });
});
