import { describe, expect, it } from 'vitest';
import { loadWebhookFixtures } from '../../test/fixtures/webhooks/load.js';
import { parseShopifyOrder, type ShopifyOrder, unpricedShopifyOrder } from './shopify.js';

const fixtures = loadWebhookFixtures('shopify-');
const minimal = { id: 1, created_at: '2026-03-14T10:00:00Z', total_price: '10.00', currency: 'USD' };

describe('parseShopifyOrder: fixtures (DESIGN.md "Conversions and attribution")', () => {
  it('has fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(3);
  });

  it.each(fixtures)('$name ($spec)', ({ body, expected }) => {
    expect(parseShopifyOrder(body)).toEqual(expected as ShopifyOrder);
  });

  it('reads a minimal order', () => {
    expect(parseShopifyOrder(minimal)).toEqual({
      orderId: '1',
      occurredAt: Date.UTC(2026, 2, 14, 10),
      total: { amount: 1000, currency: 'USD' },
      discountCodes: [],
      clickToken: null,
      customer: {},
      test: false,
    });
  });
});

describe('parseShopifyOrder: total', () => {
  it('prefers total_price_set.shop_money over total_price', () => {
    const body = { ...minimal, total_price_set: { shop_money: { amount: '11.50', currency_code: 'USD' } } };
    expect(parseShopifyOrder(body)?.total).toEqual({ amount: 1150, currency: 'USD' });
  });

  it.each([
    { case: 'three decimals in USD', total: { total_price: '19.999', currency: 'USD' } },
    { case: 'a fraction of a yen', total: { total_price: '1500.5', currency: 'JPY' } },
    { case: 'no currency', total: { total_price: '19.99', currency: undefined } },
    { case: 'a currency without minor units', total: { total_price: '1.00', currency: 'XAU' } },
    { case: 'no total', total: { total_price: undefined } },
    { case: 'a total that is not a number', total: { total_price: 'free' } },
  ])('refuses the order when the total is not exact money: $case', ({ total }) => {
    expect(parseShopifyOrder({ ...minimal, ...total })).toBeNull();
  });
});

describe('parseShopifyOrder: clickToken from cm_click (DESIGN.md "The redirect hot path", step 4)', () => {
  it.each([
    {
      case: 'landing_site path and query',
      order: { landing_site: '/p/x?utm_source=ig&cm_click=7KQ2M9X1' },
      token: '7KQ2M9X1',
    },
    {
      case: 'landing_site as a full URL',
      order: { landing_site: 'https://shop.example/?cm_click=7KQ2-M9X1#top' },
      token: '7KQ2M9X1',
    },
    {
      case: 'landing_site_ref as a query string',
      order: { landing_site_ref: 'cm_click=TG76QCN1' },
      token: 'TG76QCN1',
    },
    {
      case: 'note attribute cm_click',
      order: { note_attributes: [{ name: 'cm_click', value: 'WY9G3KN3' }] },
      token: 'WY9G3KN3',
    },
    {
      case: 'hidden note attribute _cm_click',
      order: { note_attributes: [{ name: '_cm_click', value: 'WY9G-3KN3' }] },
      token: 'WY9G3KN3',
    },
    {
      case: 'landing_site wins over note attributes (the session that bought)',
      order: {
        landing_site: '/?cm_click=7KQ2M9X1',
        note_attributes: [{ name: 'cm_click', value: 'WY9G3KN3' }],
      },
      token: '7KQ2M9X1',
    },
    {
      case: 'a cm_click failing its check character is skipped',
      order: {
        landing_site: '/?cm_click=7KQ2M9X2',
        note_attributes: [{ name: 'cm_click', value: 'WY9G3KN3' }],
      },
      token: 'WY9G3KN3',
    },
    {
      case: 'landing_site_ref that is a plain ref value',
      order: { landing_site_ref: '7KQ2M9X1' },
      token: null,
    },
    {
      case: 'other attributes only',
      order: { note_attributes: [{ name: 'gift', value: '7KQ2M9X1' }] },
      token: null,
    },
    { case: 'nothing', order: {}, token: null },
    { case: 'malformed note_attributes', order: { note_attributes: 'cm_click=7KQ2M9X1' }, token: null },
  ])('$case → $token', ({ order, token }) => {
    expect(parseShopifyOrder({ ...minimal, ...order })?.clickToken).toBe(token);
  });
});

describe('parseShopifyOrder: customer', () => {
  it.each([
    {
      case: 'order email, lowercased',
      order: { email: ' Ana@Example.COM ' },
      customer: { email: 'ana@example.com' },
    },
    {
      case: 'customer email when the order has none',
      order: { customer: { email: 'b@example.com' } },
      customer: { email: 'b@example.com' },
    },
    {
      case: 'international phone → digits',
      order: { phone: '+1 (415) 555-2671' },
      customer: { phone: '14155552671' },
    },
    {
      case: 'national phone read in the billing country',
      order: { phone: '011 15-2345-6789', billing_address: { country_code: 'AR' } },
      customer: { phone: '5491123456789' },
    },
    { case: 'unparsable phone dropped', order: { phone: '12' }, customer: {} },
    {
      case: 'customer id',
      order: { customer: { id: 7012345678901 } },
      customer: { externalId: '7012345678901' },
    },
  ])('$case', ({ order, customer }) => {
    expect(parseShopifyOrder({ ...minimal, ...order })?.customer).toEqual(customer);
  });
});

describe('parseShopifyOrder: not an order → null, never throws', () => {
  it.each([
    { case: 'null', body: null },
    { case: 'a string', body: '{"id":1}' },
    { case: 'an array', body: [minimal] },
    { case: 'no id', body: { ...minimal, id: undefined } },
    { case: 'fractional id', body: { ...minimal, id: 1.5 } },
    { case: 'no time', body: { ...minimal, created_at: undefined } },
    { case: 'unparsable time', body: { ...minimal, created_at: 'yesterday' } },
  ])('$case', ({ body }) => {
    expect(parseShopifyOrder(body)).toBeNull();
  });

  it('is the same order when the same webhook is delivered twice (orderId is the idempotency key)', () => {
    const body = fixtures[0]!.body;
    expect(parseShopifyOrder(structuredClone(body))).toEqual(parseShopifyOrder(body));
  });
});

describe('unpricedShopifyOrder: an order whose total cannot be stored is named, not ignored', () => {
  it.each([
    { case: 'a total that is not a number', total: { total_price: 'free', currency: 'USD' } },
    { case: 'three decimals in USD', total: { total_price: '19.999', currency: 'USD' } },
    { case: 'no total', total: { total_price: undefined } },
  ])('$case', ({ total }) => {
    expect(unpricedShopifyOrder({ ...minimal, ...total })).toMatch(/has no exact total/);
  });

  it.each([
    { case: 'a good total', body: minimal },
    { case: 'no order at all (no id)', body: { ...minimal, id: undefined, total_price: 'free' } },
    { case: 'not an object', body: 'free' },
  ])('null for $case', ({ body }) => {
    expect(unpricedShopifyOrder(body)).toBeNull();
  });
});
