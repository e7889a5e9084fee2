import type { Config } from '../../config.js';
import type { AppContext, ZodApp } from '../app.js';
import { type WebhookStatus, webhookSetup as webhookSetupView } from '../contract/settings.js';
import { publicOrigin } from '../public-origin.js';

type WebhookSecrets = Config['webhooks'];

interface SettingDef {
  /** The environment variable (src/config.ts) that sets it. */
  readonly variable: string;
  readonly key: keyof WebhookSecrets;
  /** Whether the webhook works without it. */
  readonly required: boolean;
  readonly purpose: string;
}

interface WebhookDef {
  readonly platform: string;
  readonly name: string;
  readonly path: string;
  readonly settings: readonly SettingDef[];
}

/** Each platform's webhook (src/http/routes/webhooks.ts) and the server settings it reads. */
const WEBHOOK_SETUP: readonly WebhookDef[] = [
  {
    platform: 'whatsapp',
    name: 'WhatsApp Cloud API',
    path: '/webhooks/whatsapp',
    settings: [
      {
        variable: 'WHATSAPP_APP_SECRET',
        key: 'whatsappAppSecret',
        required: true,
        purpose: 'the Meta app secret: checks X-Hub-Signature-256 on every message',
      },
      {
        variable: 'WHATSAPP_VERIFY_TOKEN',
        key: 'whatsappVerifyToken',
        required: true,
        purpose: 'the verify token you type into Meta, to answer its subscription challenge',
      },
    ],
  },
  {
    platform: 'telegram',
    name: 'Telegram Bot API',
    path: '/webhooks/telegram',
    settings: [
      {
        variable: 'TELEGRAM_WEBHOOK_SECRET',
        key: 'telegramSecret',
        required: true,
        purpose: 'the secret_token given to setWebhook: checks X-Telegram-Bot-Api-Secret-Token',
      },
      {
        variable: 'TELEGRAM_BOT_USERNAME',
        key: 'telegramBotUsername',
        required: false,
        purpose: "the bot's username, so /start@another_bot in a group is not taken for this bot's",
      },
    ],
  },
  {
    platform: 'viber',
    name: 'Viber REST bot',
    path: '/webhooks/viber',
    settings: [
      {
        variable: 'VIBER_AUTH_TOKEN',
        key: 'viberAuthToken',
        required: true,
        purpose: "the bot's auth token: checks X-Viber-Content-Signature",
      },
    ],
  },
  {
    platform: 'meta',
    name: 'Messenger and Instagram',
    path: '/webhooks/meta',
    settings: [
      {
        variable: 'META_APP_SECRET',
        key: 'metaAppSecret',
        required: true,
        purpose: 'the Meta app secret: checks X-Hub-Signature-256 on every referral',
      },
      {
        variable: 'META_VERIFY_TOKEN',
        key: 'metaVerifyToken',
        required: true,
        purpose: 'the verify token you type into Meta, to answer its subscription challenge',
      },
    ],
  },
  {
    platform: 'shopify',
    name: 'Shopify orders',
    path: '/webhooks/shopify/orders',
    settings: [
      {
        variable: 'SHOPIFY_WEBHOOK_SECRET',
        key: 'shopifySecret',
        required: true,
        purpose: 'the webhook signing secret: checks X-Shopify-Hmac-Sha256 (an order becomes a purchase)',
      },
    ],
  },
];

/**
 * Which webhooks are ready: per platform, the URL to paste and whether each setting it reads is
 * set. Only booleans leave the server, never a secret or a part of one.
 */
function webhookSetup(secrets: WebhookSecrets, origin: string): WebhookStatus[] {
  return WEBHOOK_SETUP.map((w) => {
    const settings = w.settings.map((s) => ({
      variable: s.variable,
      required: s.required,
      configured: secrets[s.key] !== undefined,
      purpose: s.purpose,
    }));
    return {
      platform: w.platform,
      name: w.name,
      url: `${origin}${w.path}`,
      configured: settings.every((s) => s.configured || !s.required),
      settings,
    };
  });
}

/** Server settings the dashboard shows: admin only. */
export function settingsRoutes(app: ZodApp, ctx: AppContext): void {
  app.get(
    '/api/settings/webhooks',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['settings'],
        summary: 'Webhook URLs to paste into each platform, and whether each secret is set (never its value)',
        response: { 200: webhookSetupView },
      },
    },
    async (request) => ({ webhooks: webhookSetup(ctx.config.webhooks, publicOrigin(ctx.config, request)) }),
  );
}
