import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';
import {
  hubSignature,
  messengerReferralPostback,
  telegramStartUpdate,
  whatsappTextMessage,
} from '../../src/webhooks/payloads.js';

const SECRETS = {
  WHATSAPP_APP_SECRET: 'wa-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'wa-verify',
  TELEGRAM_WEBHOOK_SECRET: 'tg_secret-123',
  TELEGRAM_BOT_USERNAME: 'acme_support_bot',
  VIBER_AUTH_TOKEN: 'viber-token',
  META_APP_SECRET: 'meta-secret',
  META_VERIFY_TOKEN: 'meta-verify',
  SHOPIFY_WEBHOOK_SECRET: 'shopify-secret',
};
const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** spec/channels.md §1.6: a WhatsApp Cloud API text message. */
const whatsapp = (text: string, id: string, from?: string) => whatsappTextMessage(text, id, from);

/** spec/channels.md §2.4: a Telegram `/start <payload>` update. */
const telegramStart = (payload: string, updateId: number) => telegramStartUpdate({ payload, updateId });

describeEachBackend('chat-start webhooks and events', (backend) => {
  let t: TestServer;
  let campaignId: number;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    if (backend.skipReason) return;
    t = await startTestServer(backend, SECRETS);
    campaignId = (await t.call('POST', '/api/campaigns', { name: 'Webhooks', owner: 'ana' })).json().id;
    for (const [name, channel, target] of [
      ['wa', 'whatsapp', { phone: '+15550783881' }],
      ['tg', 'telegram', { username: 'acme_support_bot' }],
      ['viber', 'viber', { uri: 'acmebot' }],
      ['messenger', 'messenger', { page: 'acmestore' }],
      ['web', 'web', { url: 'https://shop.example/' }],
    ] as const) {
      const link = (
        await t.call('POST', '/api/links', { campaignId, channel, target, variant: name })
      ).json();
      const click = await t.server.app.inject({
        method: 'GET',
        url: `/${link.code}`,
        headers: { 'user-agent': UA },
      });
      tokens[name] = String(click.headers['x-chatmark-click']);
    }
  });
  afterAll(async () => t?.close());

  const printed = (token: string | undefined) => `${token?.slice(0, 4)}-${token?.slice(4)}`;
  const post = (url: string, body: unknown, headers: Record<string, string>) =>
    t.server.app.inject({
      method: 'POST',
      url,
      payload: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });
  const events = () => t.server.store.db.selectFrom('events').selectAll().orderBy('id').execute();
  const eventFor = async (key: string) => (await events()).find((e) => e.idempotency_key.endsWith(key));

  describe('WhatsApp', () => {
    it('answers the verification challenge only with the right token', async () => {
      const ok = await t.call(
        'GET',
        '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wa-verify&hub.challenge=1158201444',
        undefined,
        { key: null },
      );
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toBe('1158201444');
      const wrong = await t.call(
        'GET',
        '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1',
        undefined,
        { key: null },
      );
      expect(wrong.statusCode).toBe(403);
    });

    it('records a chat start matched to the exact click, with the phone number only hashed', async () => {
      const body = JSON.stringify(whatsapp(`Hi! I'd like the offer (ref ${printed(tokens.wa)})`, 'wamid.1'));
      const response = await post('/webhooks/whatsapp', body, {
        'x-hub-signature-256': hubSignature(body, SECRETS.WHATSAPP_APP_SECRET),
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ recorded: 1, duplicates: 0 });
      const event = await eventFor('wamid.1');
      expect(event).toMatchObject({
        type: 'chat_started',
        campaign_id: campaignId,
        source: 'webhook:whatsapp',
        reentry: 0,
      });
      expect(t.server.codec.encode(Number(event?.click_id))).toBe(tokens.wa);
      const identities = await t.server.store.db.selectFrom('identities').selectAll().execute();
      expect(JSON.stringify(identities)).not.toContain('447911123456');
      expect(identities.some((i) => i.kind === 'phone')).toBe(true);

      const again = await post('/webhooks/whatsapp', body, {
        'x-hub-signature-256': hubSignature(body, SECRETS.WHATSAPP_APP_SECRET),
      });
      expect(again.json()).toMatchObject({ recorded: 0, duplicates: 1 });
    });

    it('refuses a bad signature with 401 and records nothing; malformed JSON is a 400; unknown events a 200', async () => {
      const before = (await events()).length;
      const body = JSON.stringify(whatsapp('hello', 'wamid.bad'));
      const bad = await post('/webhooks/whatsapp', body, {
        'x-hub-signature-256': hubSignature(body, 'wrong-secret'),
      });
      expect(bad.statusCode).toBe(401);
      expect(bad.json().error.code).toBe('invalid_signature');
      const missing = await post('/webhooks/whatsapp', body, {});
      expect(missing.statusCode).toBe(401);
      const broken = '{"object":';
      const malformed = await post('/webhooks/whatsapp', broken, {
        'x-hub-signature-256': hubSignature(broken, SECRETS.WHATSAPP_APP_SECRET),
      });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().error.code).toBe('invalid_json');
      const statuses = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: '1', changes: [{ field: 'account_update', value: {} }] }],
      });
      const unknown = await post('/webhooks/whatsapp', statuses, {
        'x-hub-signature-256': hubSignature(statuses, SECRETS.WHATSAPP_APP_SECRET),
      });
      expect(unknown.statusCode).toBe(200);
      expect(unknown.json().recorded).toBe(0);
      expect((await events()).length).toBe(before);
    });

    it('records a chat without a token as unattributed, never dropped', async () => {
      const body = JSON.stringify(whatsapp('Hello, do you ship to Spain?', 'wamid.plain', '447911000000'));
      await post('/webhooks/whatsapp', body, {
        'x-hub-signature-256': hubSignature(body, SECRETS.WHATSAPP_APP_SECRET),
      });
      expect(await eventFor('wamid.plain')).toMatchObject({
        type: 'chat_started',
        click_id: null,
        campaign_id: null,
      });
    });
  });

  describe('Telegram, Viber, Messenger', () => {
    it('Telegram: /start with the token is a chat start; the same user again is a re-entry', async () => {
      const headers = { 'x-telegram-bot-api-secret-token': SECRETS.TELEGRAM_WEBHOOK_SECRET };
      expect(
        (await post('/webhooks/telegram', telegramStart(tokens.tg ?? '', 1001), headers)).json(),
      ).toMatchObject({ recorded: 1 });
      expect(
        (await post('/webhooks/telegram', telegramStart(tokens.tg ?? '', 1002), headers)).json(),
      ).toMatchObject({ recorded: 1 });
      expect(await eventFor(':1001')).toMatchObject({ campaign_id: campaignId, reentry: 0 });
      expect(await eventFor(':1002')).toMatchObject({ campaign_id: campaignId, reentry: 1 });
      const wrong = await post('/webhooks/telegram', telegramStart('x', 1003), {
        'x-telegram-bot-api-secret-token': 'nope',
      });
      expect(wrong.statusCode).toBe(401);
    });

    it('Viber: conversation_started with the token as context', async () => {
      // spec/channels.md §3.2, as Viber sends it: message_token is a 64-bit integer in the raw JSON.
      const body = `{"event":"conversation_started","timestamp":1763900000000,"type":"open","context":"${tokens.viber}","user":{"id":"01234567890A=","name":"John","country":"UK","language":"en","api_version":1},"message_token":4912661846655238145,"subscribed":false}`;
      const signature = createHmac('sha256', SECRETS.VIBER_AUTH_TOKEN).update(body).digest('hex');
      const response = await post('/webhooks/viber', body, { 'x-viber-content-signature': signature });
      expect(response.json()).toMatchObject({ recorded: 1 });
      const chat = (await events()).find((e) => e.source === 'webhook:viber');
      expect(t.server.codec.encode(Number(chat?.click_id))).toBe(tokens.viber);
      expect(chat?.idempotency_key).toContain('4912661846655238145'); // the exact delivery id, not a rounded one
    });

    it('Messenger: a new thread with postback.referral.ref', async () => {
      const body = JSON.stringify(messengerReferralPostback({ ref: tokens.messenger ?? '', psid: 'PSID-1' }));
      const response = await post('/webhooks/meta', body, {
        'x-hub-signature-256': hubSignature(body, SECRETS.META_APP_SECRET),
      });
      expect(response.json()).toMatchObject({ recorded: 1 });
      const chat = (await events()).find((e) => e.source === 'webhook:messenger');
      expect(chat).toMatchObject({ campaign_id: campaignId });
    });
  });

  describe('costs and exposures', () => {
    it('sets spend per day (the same day again replaces it) and refuses impossible dates', async () => {
      const cost = { campaignId, date: '2026-11-20', spend: { amount: 10_000, currency: 'USD' } };
      expect((await t.call('POST', '/api/costs', cost)).statusCode).toBe(201);
      expect(
        (await t.call('POST', '/api/costs', [{ ...cost, spend: { amount: 12_500, currency: 'USD' } }]))
          .statusCode,
      ).toBe(201);
      const rows = await t.server.store.db
        .selectFrom('costs')
        .selectAll()
        .where('day', '=', '2026-11-20')
        .execute();
      expect(rows.map((r) => Number(r.amount))).toEqual([12_500]);
      for (const [body, code, field] of [
        [{ ...cost, date: '2026-02-30' }, 'invalid_date', 'date'],
        [{ ...cost, campaignId: 99_999 }, 'unknown_campaign', 'campaignId'],
        [{ ...cost, spend: { amount: 1.5, currency: 'USD' } }, 'invalid_request', 'spend.amount'],
      ] as const) {
        const response = await t.call('POST', '/api/costs', body);
        expect(response.statusCode).toBe(422);
        expect(response.json().error).toMatchObject({ code, field });
      }
    });

    it('records each send once, with the contact stored only as hashes', async () => {
      const sends = [1, 2].map((n) => ({
        contact: { phone: '+447911555000', email: `Send${n}@Example.com` },
        campaignId,
        channel: 'sms',
        sentAt: `2026-11-2${n}T09:00:00Z`,
      }));
      expect((await t.call('POST', '/api/exposures', sends)).json()).toEqual({ received: 2, created: 2 });
      expect((await t.call('POST', '/api/exposures', sends)).json()).toEqual({ received: 2, created: 0 });
      const identities = await t.server.store.db.selectFrom('identities').selectAll().execute();
      expect(JSON.stringify(identities)).not.toMatch(/447911555000|send1@example\.com/i);
    });
  });

  describe('conversions', () => {
    it('records an event once per idempotency key and answers a retry with the original', async () => {
      const body = {
        type: 'qualified',
        occurredAt: '2026-11-23T12:05:00Z',
        idempotencyKey: 'q-1',
        clickId: tokens.tg,
      };
      const first = await t.call('POST', '/api/events', body);
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({
        duplicate: false,
        event: { type: 'qualified', campaignId, clickId: tokens.tg },
      });
      const again = await t.call('POST', '/api/events', { ...body, occurredAt: '2026-11-24T00:00:00Z' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({
        duplicate: true,
        event: { id: first.json().event.id, occurredAt: '2026-11-23T12:05:00.000Z' },
      });
    });

    it('stitches a conversion with the click id to the contact whose chat that click started', async () => {
      const chat = (await events()).find((e) => e.idempotency_key.endsWith(':1001'));
      const qualified = (await events()).find((e) => e.idempotency_key === 'q-1');
      expect(qualified?.contact_id).toBe(chat?.contact_id);
      expect(chat?.contact_id).not.toBeNull();
    });

    it('joins a CRM id sent with the click id to the contact of that chat, so later events find it', async () => {
      const chat = (await events()).find((e) => e.idempotency_key.endsWith(':1001'));
      const lead = await t.call('POST', '/api/events', {
        type: 'lead',
        occurredAt: '2026-11-23T12:20:00Z',
        idempotencyKey: 'crm-lead-42',
        clickId: tokens.tg,
        contact: { externalId: 'crm-42' },
      });
      expect(lead.json().event.contactId).toBe(chat?.contact_id);
      const later = await t.call('POST', '/api/events', {
        type: 'booking',
        // Within 30 days of that chat (the Telegram update above is dated 2025-11-23).
        occurredAt: new Date(Number(chat?.occurred_at) + 3 * 3_600_000).toISOString(),
        idempotencyKey: 'crm-booking-42',
        contact: { externalId: 'crm-42' },
      });
      expect(later.json().event).toMatchObject({ contactId: chat?.contact_id, campaignId });
    });

    it('keeps the valid items of a batch and answers each item', async () => {
      const response = await t.call('POST', '/api/events', [
        {
          type: 'lead',
          occurredAt: '2026-11-23T12:00:00Z',
          idempotencyKey: 'b-1',
          contact: { email: 'Ana@Example.com' },
        },
        { type: 'Not A Type', occurredAt: '2026-11-23T12:00:00Z', idempotencyKey: 'b-2' },
        { type: 'lead', occurredAt: '2026-11-23T12:00:00Z', idempotencyKey: 'b-3', clickId: 'ZZZZ-ZZZZ' },
        { type: 'lead', occurredAt: '2026-11-23T12:00:00Z', idempotencyKey: 'b-1' },
        {
          type: 'booking',
          occurredAt: '2026-11-23T12:00:00Z',
          idempotencyKey: 'b-5',
          contact: { email: 'ana@example.com' },
        },
      ]);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({ created: 2, duplicates: 1, errors: 2 });
      expect(body.results.map((r: { status: string }) => r.status)).toEqual([
        'created',
        'error',
        'error',
        'duplicate',
        'created',
      ]);
      expect(body.results[1].error).toMatchObject({ code: 'invalid_request', field: 'type' });
      expect(body.results[2].error).toMatchObject({ code: 'unknown_click', field: 'clickId' });
      // The same person in two spellings of one email address: one contact, stored only as a hash.
      expect(body.results[4].event.contactId).toBe(body.results[0].event.contactId);
      const identities = await t.server.store.db.selectFrom('identities').selectAll().execute();
      expect(JSON.stringify(identities).toLowerCase()).not.toContain('ana@example.com');
    });

    it('attributes a purchase by discount code and refuses a second use of a single-use code', async () => {
      const code = await t.call('POST', '/api/discount-codes', {
        code: 'spring-10',
        campaignId,
        singleUse: true,
      });
      expect(code.statusCode).toBe(201);
      const purchase = (key: string) => ({
        type: 'purchase',
        occurredAt: '2026-11-23T13:00:00Z',
        idempotencyKey: key,
        discountCode: 'SPRING-10',
        value: { amount: 8500, currency: 'USD' },
      });
      const first = await t.call('POST', '/api/events', purchase('p-1'));
      expect(first.statusCode).toBe(201);
      expect(first.json().event).toMatchObject({ campaignId, value: { amount: 8500, currency: 'USD' } });
      expect((await t.call('POST', '/api/events', purchase('p-1'))).statusCode).toBe(200); // a retry is not a second use
      const second = await t.call('POST', '/api/events', purchase('p-2'));
      expect(second.statusCode).toBe(422);
      expect(second.json().error).toMatchObject({ code: 'discount_code_used', field: 'discountCode' });
      expect(await eventFor('p-2')).toBeUndefined();
    });

    it('turns a signed Shopify order into a purchase attributed through cm_click', async () => {
      const body = JSON.stringify({
        id: 820982911946154500,
        created_at: '2026-11-23T14:00:00-05:00',
        processed_at: '2026-11-23T14:00:00-05:00',
        currency: 'USD',
        total_price: '199.99',
        total_price_set: { shop_money: { amount: '199.99', currency_code: 'USD' } },
        discount_codes: [{ code: 'NOTREGISTERED', amount: '10.00', type: 'fixed_amount' }],
        landing_site: `/products/tee?utm_source=sms&cm_click=${tokens.web}`,
        email: 'buyer@example.com',
        test: false,
      });
      const hmac = createHmac('sha256', SECRETS.SHOPIFY_WEBHOOK_SECRET).update(body).digest('base64');
      const response = await post('/webhooks/shopify/orders', body, { 'x-shopify-hmac-sha256': hmac });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ recorded: 1 });
      const order = await eventFor('shopify:820982911946154500');
      expect(order).toMatchObject({
        type: 'purchase',
        amount: 19999,
        currency: 'USD',
        campaign_id: campaignId,
      });
      expect(JSON.parse(String(order?.properties)).unresolved).toMatchObject({
        discountCode: 'NOTREGISTERED',
      });
      const forged = await post('/webhooks/shopify/orders', body, {
        'x-shopify-hmac-sha256': createHash('sha256').update(body).digest('base64'),
      });
      expect(forged.statusCode).toBe(401);
    });
  });
});

describe('webhooks without their secrets configured', () => {
  it('answer 503 not_configured (platforms retry; nothing is lost once it is set)', async () => {
    const { BACKENDS } = await import('../support/services.js');
    const sqlite = BACKENDS.find((b) => b.name === 'sqlite');
    if (!sqlite) throw new Error('no sqlite backend');
    const t = await startTestServer(sqlite);
    try {
      const response = await t.server.app.inject({
        method: 'POST',
        url: '/webhooks/telegram',
        payload: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.statusCode).toBe(503);
      expect(response.json().error.code).toBe('not_configured');
    } finally {
      await t.close();
    }
  });
});
