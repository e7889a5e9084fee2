import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';
import { telegramStartUpdate } from '../../src/webhooks/payloads.js';

const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const SECRET = 'tg-secret';

/**
 * The whole journey through the real app: a person clicks variant B's short link → opens the
 * Telegram bot with the click's token → the team marks the lead qualified → the person buys →
 * the funnel and attribution reports show it on the right campaign and variant.
 */
describeEachBackend('end to end: click → chat → qualified → purchase → reports', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    if (!backend.skipReason) t = await startTestServer(backend, { TELEGRAM_WEBHOOK_SECRET: SECRET });
  });
  afterAll(async () => t?.close());

  it('lands the purchase on the campaign and variant whose link was clicked', async () => {
    const campaign = (
      await t.call('POST', '/api/campaigns', { name: 'Black Friday', owner: 'ana', channels: ['telegram'] })
    ).json();
    const links: Record<string, { code: string }> = {};
    for (const variant of ['a', 'b']) {
      links[variant] = (
        await t.call('POST', '/api/links', {
          campaignId: campaign.id,
          channel: 'telegram',
          target: { username: 'acme_support_bot' },
          variant,
        })
      ).json();
    }
    // Someone clicks variant A and never writes; the buyer clicks variant B.
    await t.server.app.inject({ method: 'GET', url: `/${links.a?.code}`, headers: { 'user-agent': UA } });
    const click = await t.server.app.inject({
      method: 'GET',
      url: `/${links.b?.code}`,
      headers: { 'user-agent': UA },
    });
    const start = new URL(String(click.headers.location)).searchParams.get('start');
    expect(start).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    t.clock.now += 60_000;
    const update = telegramStartUpdate({
      payload: String(start),
      updateId: 77,
      messageId: 1,
      userId: 555,
      firstName: 'Bea',
      date: Math.floor(t.clock.now / 1000),
    });
    const webhook = await t.server.app.inject({
      method: 'POST',
      url: '/webhooks/telegram',
      payload: JSON.stringify(update),
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    });
    expect(webhook.json()).toMatchObject({ recorded: 1 });

    const clickId = String(click.headers['x-chatmark-click']);
    const now = (minutes: number) => new Date(t.clock.now + minutes * 60_000).toISOString();
    expect(
      (
        await t.call('POST', '/api/events', {
          type: 'qualified',
          occurredAt: now(10),
          idempotencyKey: 'crm-1',
          clickId,
        })
      ).statusCode,
    ).toBe(201);
    const purchase = await t.call('POST', '/api/events', {
      type: 'purchase',
      occurredAt: now(60),
      idempotencyKey: 'order-9',
      clickId,
      value: { amount: 12_990, currency: 'EUR' },
    });
    expect(purchase.json().event).toMatchObject({ campaignId: campaign.id });

    const range = `from=${now(-24 * 60).slice(0, 10)}&to=${now(24 * 60).slice(0, 10)}`;
    const byVariant = (
      await t.call('GET', `/api/reports/funnel?campaignId=${campaign.id}&groupBy=variant&${range}`)
    ).json();
    const rows = Object.fromEntries(byVariant.rows.map((r: { key: string }) => [r.key, r]));
    expect(rows.a).toMatchObject({ link_clicks: 1, chats_started: 0, conversions: 0 });
    expect(rows.b).toMatchObject({
      link_clicks: 1,
      chats_started: 1,
      qualified: 1,
      conversions: 1,
      revenue: 12_990,
      currency: 'EUR',
      click_to_message_rate: 1,
    });

    const attribution = (await t.call('GET', `/api/reports/attribution?groupBy=campaign&${range}`)).json();
    expect(attribution.rows).toEqual([
      expect.objectContaining({
        key: 'black_friday',
        credited: 1,
        claimed: 1,
        immediate: 1,
        assisted: 0,
        value: { EUR: 12_990 },
      }),
    ]);
    expect(attribution.unattributed.count).toBe(0);
  });
});
