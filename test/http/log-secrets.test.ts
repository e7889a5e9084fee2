import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { SECRET_HEADERS } from '../../src/http/log-redaction.js';
import { buildServer, type Server } from '../../src/server.js';
import { ADMIN_KEY, SECRET_KEY } from '../support/server.js';
import { describeEachBackend, POSTGRES_URL } from '../support/services.js';
import { hubSignature, whatsappTextMessage } from '../../src/webhooks/payloads.js';

const WHATSAPP_APP_SECRET = 'wa-app-secret-for-logs';
const TELEGRAM_WEBHOOK_SECRET = 'tg-secret-token-for-logs';
const COOKIE = 'chatmark_session=cookie-value-never-logged';
const PHONE_DIGITS = '447911123456';
const EMAIL = 'ana.lopez@example.com';

/**
 * Secrets never reach the log (issue 10, 1.8): a server logging at `debug` into a stream we read,
 * requests that fail (500 with the store broken, 401 on bad signatures, 422 on bad input) carrying
 * an API key, a cookie, webhook signatures and a phone number, and none of them in the log.
 */
describeEachBackend('secrets and personal data never logged', (backend) => {
  let server: Server;
  let dir: string;
  let schema: string;
  const lines: string[] = [];
  beforeEach(async () => {
    lines.length = 0;
    dir = mkdtempSync(join(tmpdir(), 'chatmark-logs-'));
    schema = `logs_${process.pid}_${Date.now().toString(36)}`;
    const env = {
      DATA_DIR: dir,
      CHATMARK_API_KEY: ADMIN_KEY,
      WHATSAPP_APP_SECRET,
      TELEGRAM_WEBHOOK_SECRET,
      VIBER_AUTH_TOKEN: 'viber-token-for-logs',
      SHOPIFY_WEBHOOK_SECRET: 'shopify-secret-for-logs',
      ...(backend.name === 'postgres'
        ? { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema, CHATMARK_SECRET_KEY: SECRET_KEY }
        : {}),
    };
    server = await buildServer(loadConfig(env), {
      logger: { level: 'debug', stream: { write: (line) => void lines.push(line) } },
    });
  });
  afterEach(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
    if (backend.name === 'postgres') {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
  });

  const post = (url: string, body: string, headers: Record<string, string>) =>
    server.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', cookie: COOKIE, ...headers },
      payload: body,
    });
  const whatsappMessage = JSON.stringify(whatsappTextMessage('hi', 'wamid.logs', PHONE_DIGITS, 'Ana'));
  const whatsappSignature = hubSignature(whatsappMessage, WHATSAPP_APP_SECRET);

  it('logs failing requests without keys, cookies, signatures, phone numbers or emails', async () => {
    // The store breaks under the requests: contacts cannot be written, so they answer 500 and the
    // error is logged, with the request's body and headers at hand.
    await server.store.db.schema.alterTable('identities').renameTo('identities_gone').execute();
    const lead = JSON.stringify({
      type: 'lead',
      occurredAt: '2026-11-23T12:00:00Z',
      idempotencyKey: 'lead-logs',
      contact: { phone: `+${PHONE_DIGITS}`, email: EMAIL },
    });
    const failed = await post('/api/events', lead, { authorization: `Bearer ${ADMIN_KEY}` });
    expect(failed.statusCode).toBe(500);
    const webhook = await post('/webhooks/whatsapp', whatsappMessage, {
      'x-hub-signature-256': whatsappSignature,
    });
    expect(webhook.statusCode).toBe(500);

    // Refused ones: bad signatures and tokens (401), a body that fails validation (422).
    const refused = [
      await post('/webhooks/whatsapp', whatsappMessage, {
        'x-hub-signature-256': `${whatsappSignature.slice(0, -4)}beef`,
      }),
      await post('/webhooks/telegram', '{"update_id":1}', {
        'x-telegram-bot-api-secret-token': 'tg-wrong-token-0042',
      }),
      await post('/webhooks/viber', '{"event":"message"}', {
        'x-viber-content-signature': 'viber-signature-0042',
      }),
      await post('/webhooks/shopify/orders', '{"id":1}', { 'x-shopify-hmac-sha256': 'shopify-hmac-0042' }),
      await post('/api/events', JSON.stringify({ type: 'lead', contact: { phone: `+${PHONE_DIGITS}` } }), {
        authorization: `Bearer ${ADMIN_KEY}`,
      }),
    ];
    expect(refused.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 422]);

    // A line that names headers directly (as an HTTP client's error would) is redacted too.
    server.app.log.error(
      {
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'x-hub-signature-256': whatsappSignature },
        err: { headers: { cookie: COOKIE, 'x-shopify-hmac-sha256': 'shopify-hmac-0042' } },
      },
      'outbound call failed',
    );

    const log = lines.join('');
    // The log was written and names the failures, so the checks below are not vacuous.
    expect(log.match(/unhandled error/g)?.length).toBe(2);
    expect(log).toContain('/webhooks/telegram');
    expect(log).toContain('[Redacted]');
    for (const secret of [
      ADMIN_KEY,
      ADMIN_KEY.slice(11),
      'cookie-value-never-logged',
      whatsappSignature.slice(7),
      'tg-wrong-token-0042',
      TELEGRAM_WEBHOOK_SECRET,
      WHATSAPP_APP_SECRET,
      'viber-signature-0042',
      'shopify-hmac-0042',
      '7911123456',
      EMAIL,
      SECRET_KEY,
    ]) {
      expect(log, `the log holds ${secret}`).not.toContain(secret);
    }
  });

  it('redacts every secret header the webhooks and the API read', () => {
    const headers = Object.fromEntries(SECRET_HEADERS.map((name) => [name, `value-of-${name}`]));
    server.app.log.warn({ req: { headers }, headers, response: { headers } }, 'headers');
    const log = lines.join('');
    expect(log).toContain('"headers"');
    for (const name of [
      'authorization',
      'cookie',
      'x-hub-signature-256',
      'x-telegram-bot-api-secret-token',
      'x-viber-content-signature',
      'x-shopify-hmac-sha256',
    ]) {
      expect(SECRET_HEADERS).toContain(name);
      expect(log).not.toContain(`value-of-${name}`);
    }
  });
});
