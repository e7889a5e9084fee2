import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';

/** Every webhook setting, with values that would be easy to spot in a body. */
const SECRETS = {
  WHATSAPP_APP_SECRET: 'wa-app-secret-7f3c91',
  WHATSAPP_VERIFY_TOKEN: 'wa-verify-token-2b8e',
  TELEGRAM_WEBHOOK_SECRET: 'tg_webhook_secret_55d1',
  TELEGRAM_BOT_USERNAME: 'acme_support_bot',
  VIBER_AUTH_TOKEN: 'viber-auth-token-9a0c',
  META_APP_SECRET: 'meta-app-secret-61fe',
  META_VERIFY_TOKEN: 'meta-verify-token-c4d2',
  SHOPIFY_WEBHOOK_SECRET: 'shopify-secret-e7a4',
} as const;

const PATHS = {
  whatsapp: '/webhooks/whatsapp',
  telegram: '/webhooks/telegram',
  viber: '/webhooks/viber',
  meta: '/webhooks/meta',
  shopify: '/webhooks/shopify/orders',
} as const;

interface Status {
  platform: keyof typeof PATHS;
  name: string;
  url: string;
  configured: boolean;
  settings: { variable: string; required: boolean; configured: boolean; purpose: string }[];
}

/** `variable → configured` over every platform. */
const configuredOf = (webhooks: Status[]) =>
  Object.fromEntries(webhooks.flatMap((w) => w.settings.map((s) => [s.variable, s.configured])));

describeEachBackend('GET /api/settings/webhooks', (backend) => {
  let none: TestServer;
  let some: TestServer;
  let all: TestServer;
  let viewer: string;
  let editor: string;
  beforeAll(async () => {
    if (backend.skipReason) return;
    none = await startTestServer(backend);
    some = await startTestServer(backend, {
      WHATSAPP_APP_SECRET: SECRETS.WHATSAPP_APP_SECRET,
      TELEGRAM_WEBHOOK_SECRET: SECRETS.TELEGRAM_WEBHOOK_SECRET,
    });
    all = await startTestServer(backend, {
      ...SECRETS,
      CHATMARK_BASE_URL: '',
      CHATMARK_ALLOWED_HOSTS: 'chat.example.org:8443',
    });
    viewer = (await some.call('POST', '/api/keys', { name: 'reader', role: 'viewer' })).json().secret;
    editor = (await some.call('POST', '/api/keys', { name: 'ops', role: 'editor' })).json().secret;
  });
  afterAll(async () => {
    await none?.close();
    await some?.close();
    await all?.close();
  });

  const webhooks = async (t: TestServer, headers?: Record<string, string>) => {
    const response = await t.call('GET', '/api/settings/webhooks', undefined, { headers });
    expect(response.statusCode).toBe(200);
    return { body: response.body, webhooks: (response.json() as { webhooks: Status[] }).webhooks };
  };

  it('lists every platform with the URL to paste, all off when nothing is set', async () => {
    const { webhooks: list } = await webhooks(none);
    expect(list.map((w) => [w.platform, w.url])).toEqual(
      Object.entries(PATHS).map(([platform, path]) => [platform, `https://cm.example${path}`]),
    );
    expect(list.every((w) => !w.configured)).toBe(true);
    expect(configuredOf(list)).toEqual(Object.fromEntries(Object.keys(SECRETS).map((v) => [v, false])));
    for (const w of list) {
      expect(w.name).not.toBe('');
      for (const s of w.settings) expect(s.purpose).not.toBe('');
    }
    // The list names what each webhook really reads: unset, it refuses and names one of them.
    for (const w of list) {
      const response = await none.call('POST', new URL(w.url).pathname, {});
      expect(response.statusCode, w.platform).toBe(503);
      const { error } = response.json() as { error: { code: string; message: string } };
      expect(error.code).toBe('not_configured');
      const required = w.settings.filter((s) => s.required).map((s) => s.variable);
      expect(
        required.some((v) => error.message.includes(v)),
        `${w.platform}: ${error.message}`,
      ).toBe(true);
    }
  });

  it('says which secrets are set, and a webhook is ready only when all it requires are', async () => {
    const { webhooks: list, body } = await webhooks(some);
    const by = Object.fromEntries(list.map((w) => [w.platform, w]));
    expect(by.telegram).toMatchObject({
      configured: true,
      settings: [
        { variable: 'TELEGRAM_WEBHOOK_SECRET', required: true, configured: true },
        { variable: 'TELEGRAM_BOT_USERNAME', required: false, configured: false },
      ],
    });
    // One of WhatsApp's two settings is not enough.
    expect(by.whatsapp).toMatchObject({
      configured: false,
      settings: [
        { variable: 'WHATSAPP_APP_SECRET', required: true, configured: true },
        { variable: 'WHATSAPP_VERIFY_TOKEN', required: true, configured: false },
      ],
    });
    expect(list.filter((w) => w.configured).map((w) => w.platform)).toEqual(['telegram']);
    expect(body).not.toContain(SECRETS.WHATSAPP_APP_SECRET);
    expect(body).not.toContain(SECRETS.TELEGRAM_WEBHOOK_SECRET);
  });

  it('never sends a secret or a piece of one, only booleans', async () => {
    const { webhooks: list, body } = await webhooks(all, { host: 'chat.example.org:8443' });
    expect(list.every((w) => w.configured)).toBe(true);
    expect(Object.values(configuredOf(list)).every((c) => c === true)).toBe(true);
    // No public origin configured: the origin the API was called on, its host being allowed.
    expect(list.find((w) => w.platform === 'viber')?.url).toBe('http://chat.example.org:8443/webhooks/viber');
    for (const value of Object.values(SECRETS)) {
      for (let start = 0; start + 8 <= value.length; start += 4) {
        expect(body).not.toContain(value.slice(start, start + 8));
      }
    }
    for (const s of list.flatMap((w) => w.settings)) {
      expect(Object.keys(s).sort()).toEqual(['configured', 'purpose', 'required', 'variable']);
    }
  });

  it('answers admins only, in the one error shape', async () => {
    for (const key of [viewer, editor]) {
      const refused = await some.call('GET', '/api/settings/webhooks', undefined, { key });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
      expect(refused.body).not.toContain(SECRETS.TELEGRAM_WEBHOOK_SECRET);
    }
    const anonymous = await some.call('GET', '/api/settings/webhooks', undefined, { key: null });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthorized');
  });

  describe('OpenAPI', () => {
    it('documents the route with its response', async () => {
      const doc = (await none.call('GET', '/openapi.json', undefined, { key: null })).json();
      const get = doc.paths['/api/settings/webhooks']?.get;
      expect(get?.tags).toEqual(['settings']);
      const schema = get?.responses?.['200']?.content?.['application/json']?.schema;
      expect(schema?.properties?.webhooks?.items?.properties?.configured?.type).toBe('boolean');
    });
  });
});
