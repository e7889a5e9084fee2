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

const header = (request: FastifyRequest, name: string) => request.headers[name];

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
      schema: { tags: ['webhooks'], summary, security: [] },
    });

    app.get(
      '/webhooks/whatsapp',
      options('WhatsApp verification challenge'),
      challenge(secrets.whatsappVerifyToken, 'WHATSAPP_VERIFY_TOKEN'),
    );
    app.get(
      '/webhooks/meta',
      options('Messenger/Instagram verification challenge'),
      challenge(secrets.metaVerifyToken, 'META_VERIFY_TOKEN'),
    );

    // Signatures are over the exact bytes sent, so these routes take the body raw.
    await app.register(async (raw) => {
      raw.removeAllContentTypeParsers();
      raw.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
      const body = (request: FastifyRequest) =>
        Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);

      raw.post(
        '/webhooks/whatsapp',
        options('WhatsApp Cloud API messages (X-Hub-Signature-256)'),
        async (request) => {
          if (!secrets.whatsappAppSecret) throw notConfigured('WHATSAPP_APP_SECRET');
          if (
            !verifyHubSignature(
              body(request),
              header(request, 'x-hub-signature-256'),
              secrets.whatsappAppSecret,
            )
          ) {
            throw badSignature('x-hub-signature-256');
          }
          return record(parseWhatsApp(parseJson(body(request))));
        },
      );
      raw.post(
        '/webhooks/telegram',
        options('Telegram Bot API updates (X-Telegram-Bot-Api-Secret-Token)'),
        async (request) => {
          if (!secrets.telegramSecret) throw notConfigured('TELEGRAM_WEBHOOK_SECRET');
          if (
            !secretTokenMatches(header(request, 'x-telegram-bot-api-secret-token'), secrets.telegramSecret)
          ) {
            throw badSignature('x-telegram-bot-api-secret-token');
          }
          return record(parseTelegram(parseJson(body(request)), secrets.telegramBotUsername));
        },
      );
      raw.post(
        '/webhooks/viber',
        options('Viber REST bot callbacks (X-Viber-Content-Signature)'),
        async (request) => {
          if (!secrets.viberAuthToken) throw notConfigured('VIBER_AUTH_TOKEN');
          if (
            !verifyViberSignature(
              body(request),
              header(request, 'x-viber-content-signature'),
              secrets.viberAuthToken,
            )
          ) {
            throw badSignature('x-viber-content-signature');
          }
          parseJson(body(request)); // malformed JSON → 400; the parser reads the raw text for exact 64-bit ids
          return record(parseViber(body(request).toString('utf8')));
        },
      );
      raw.post(
        '/webhooks/meta',
        options('Messenger and Instagram referrals (X-Hub-Signature-256)'),
        async (request) => {
          if (!secrets.metaAppSecret) throw notConfigured('META_APP_SECRET');
          if (
            !verifyHubSignature(body(request), header(request, 'x-hub-signature-256'), secrets.metaAppSecret)
          ) {
            throw badSignature('x-hub-signature-256');
          }
          return record(parseMeta(parseJson(body(request))));
        },
      );
      raw.post(
        '/webhooks/shopify/orders',
        options('Shopify order webhook (X-Shopify-Hmac-Sha256) → a purchase'),
        async (request) => {
          if (!secrets.shopifySecret) throw notConfigured('SHOPIFY_WEBHOOK_SECRET');
          if (
            !verifyShopifyHmac(body(request), header(request, 'x-shopify-hmac-sha256'), secrets.shopifySecret)
          ) {
            throw badSignature('x-shopify-hmac-sha256');
          }
          const json = parseJson(body(request));
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
      );
    });
  };
}
