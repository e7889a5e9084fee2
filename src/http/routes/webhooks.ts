import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChatmarkError } from '../../domain/errors.js';
import { recordChatStart, recordShopifyOrder } from '../../services/chats.service.js';
import type { EventDeps } from '../../services/events.service.js';
import {
  type ChatStartBatch,
  parseMeta,
  parseShopifyOrder,
  unpricedShopifyOrder,
  parseTelegram,
  parseWhatsApp,
  parseViber,
  secretTokenMatches,
  verifyHubChallenge,
  verifyHubSignature,
  verifyShopifyHmac,
  verifyViberSignature,
} from '../../webhooks/index.js';
import type { AppContext, ZodApp } from '../app.js';
import { challengeAnswer, webhookResult, type WebhookResult } from '../contract/webhooks.js';

function notConfigured(variable: string): ChatmarkError {
  return new ChatmarkError('not_configured', `This webhook is off until ${variable} is set`);
}

function badSignature(header: string): ChatmarkError {
  return new ChatmarkError('invalid_signature', `The ${header} header does not match the body`, header);
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ChatmarkError('invalid_json', 'The request body is not valid JSON');
  }
}

/**
 * One signed webhook: every one has the same shape (secret set → verify the raw body → parse →
 * record), and differs only in these parts.
 */
interface WebhookRoute {
  readonly url: string;
  readonly summary: string;
  /** The secret from the configuration; the route answers 503 `not_configured` while it is unset. */
  readonly secret: string | undefined;
  /** The variable that sets it, named in the `not_configured` answer. */
  readonly variable: string;
  /** The header carrying the signature or the shared secret (401 when it does not match). */
  readonly header: string;
  readonly verify: (body: Buffer, header: unknown, secret: string) => boolean;
  /** Parses the verified body (malformed JSON → 400) and records what it reports. */
  readonly record: (body: Buffer, request: FastifyRequest) => Promise<WebhookResult>;
}

/**
 * The platforms' webhooks (spec/channels.md): each checks its signature or secret against the raw
 * body (bad → 401, nothing recorded), parses (malformed JSON → 400), and records every chat start
 * as a `chat_started` event; events it doesn't know are answered 200 and ignored, as platforms
 * retry anything else. The same delivery twice records once.
 */
export function webhookRoutes(deps: EventDeps) {
  return async (app: ZodApp, ctx: AppContext): Promise<void> => {
    const secrets = ctx.config.webhooks;
    const record = async (batch: ChatStartBatch) => {
      let recorded = 0;
      let duplicates = 0;
      for (const start of batch.starts) {
        const { created } = await recordChatStart(deps, start, ctx.now());
        if (created) recorded += 1;
        else duplicates += 1;
      }
      return { recorded, duplicates, ignored: batch.ignored };
    };

    const challenge =
      (token: string | undefined, variable: string) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        if (!token) throw notConfigured(variable);
        try {
          return reply.type('text/plain').send(verifyHubChallenge(request.query, token));
        } catch (error) {
          if (error instanceof ChatmarkError && error.code === 'invalid_verify_token') {
            throw new ChatmarkError('forbidden', error.message, error.field);
          }
          throw error;
        }
      };
    const options = (summary: string) => ({
      config: { role: 'public' as const },
      schema: { tags: ['webhooks'], summary, security: [], response: { 200: webhookResult } },
    });
    const challengeOptions = (summary: string) => ({
      config: { role: 'public' as const },
      schema: {
        tags: ['webhooks'],
        summary,
        security: [],
        produces: ['text/plain'],
        response: { 200: challengeAnswer },
      },
    });

    /** Records what a verified body reports: the starts of a chat platform, the order of a shop. */
    const chats =
      (parse: (body: Buffer) => ChatStartBatch) =>
      (body: Buffer): Promise<WebhookResult> =>
        record(parse(body));
    const hooks: readonly WebhookRoute[] = [
      {
        url: '/webhooks/whatsapp',
        summary: 'WhatsApp Cloud API messages (X-Hub-Signature-256)',
        secret: secrets.whatsappAppSecret,
        variable: 'WHATSAPP_APP_SECRET',
        header: 'x-hub-signature-256',
        verify: verifyHubSignature,
        record: chats((body) => parseWhatsApp(parseJson(body))),
      },
      {
        url: '/webhooks/telegram',
        summary: 'Telegram Bot API updates (X-Telegram-Bot-Api-Secret-Token)',
        secret: secrets.telegramSecret,
        variable: 'TELEGRAM_WEBHOOK_SECRET',
        header: 'x-telegram-bot-api-secret-token',
        verify: (_body, token, secret) => secretTokenMatches(token, secret),
        record: chats((body) => parseTelegram(parseJson(body), secrets.telegramBotUsername)),
      },
      {
        url: '/webhooks/viber',
        summary: 'Viber REST bot callbacks (X-Viber-Content-Signature)',
        secret: secrets.viberAuthToken,
        variable: 'VIBER_AUTH_TOKEN',
        header: 'x-viber-content-signature',
        verify: verifyViberSignature,
        record: chats((body) => {
          parseJson(body); // malformed JSON → 400; the parser reads the raw text for exact 64-bit ids
          return parseViber(body.toString('utf8'));
        }),
      },
      {
        url: '/webhooks/meta',
        summary: 'Messenger and Instagram referrals (X-Hub-Signature-256)',
        secret: secrets.metaAppSecret,
        variable: 'META_APP_SECRET',
        header: 'x-hub-signature-256',
        verify: verifyHubSignature,
        record: chats((body) => parseMeta(parseJson(body))),
      },
      {
        url: '/webhooks/shopify/orders',
        summary: 'Shopify order webhook (X-Shopify-Hmac-Sha256) → a purchase',
        secret: secrets.shopifySecret,
        variable: 'SHOPIFY_WEBHOOK_SECRET',
        header: 'x-shopify-hmac-sha256',
        verify: verifyShopifyHmac,
        record: async (body, request) => {
          const json = parseJson(body);
          const order = parseShopifyOrder(json);
          // An order that cannot be stored as it is (no exact total, a negative one) is answered
          // with an error, which Shopify retries and shows, and logged for the operator: never
          // stored as a negative purchase, never dropped as "ignored".
          const refuse = (error: ChatmarkError): never => {
            request.log.warn(
              { reqId: request.id, code: error.code, reason: error.message },
              'Shopify order refused',
            );
            throw error;
          };
          if (!order) {
            const problem = unpricedShopifyOrder(json);
            if (problem !== null) refuse(new ChatmarkError('invalid_total', problem, 'total_price'));
            return { recorded: 0, duplicates: 0, ignored: 1 };
          }
          try {
            const { created } = await recordShopifyOrder(deps, order, ctx.now());
            return { recorded: created ? 1 : 0, duplicates: created ? 0 : 1, ignored: 0 };
          } catch (error) {
            if (error instanceof ChatmarkError) refuse(error);
            throw error;
          }
        },
      },
    ];

    app.get(
      '/webhooks/whatsapp',
      challengeOptions('WhatsApp verification challenge'),
      challenge(secrets.whatsappVerifyToken, 'WHATSAPP_VERIFY_TOKEN'),
    );
    app.get(
      '/webhooks/meta',
      challengeOptions('Messenger/Instagram verification challenge'),
      challenge(secrets.metaVerifyToken, 'META_VERIFY_TOKEN'),
    );

    // Signatures are over the exact bytes sent, so these routes take the body raw.
    await app.register(async (raw) => {
      raw.removeAllContentTypeParsers();
      raw.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
      for (const hook of hooks) {
        raw.post(hook.url, options(hook.summary), async (request) => {
          const { secret } = hook;
          if (!secret) throw notConfigured(hook.variable);
          const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          if (!hook.verify(body, request.headers[hook.header], secret)) throw badSignature(hook.header);
          return hook.record(body, request);
        });
      }
    });
  };
}
