import { join } from 'node:path';
import { z } from 'zod';
import { ChatmarkError } from './domain/errors.js';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every setting Chatmark reads, with its environment variable name. */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(
        /^postgres(ql)?:\/\//,
        'DATABASE_URL must be a postgres:// URL (SQLite is the default without it)',
      )
      .optional(),
  ),
  DATABASE_SCHEMA: optionalString,
  /** PostgreSQL: longest a statement may run before the server cancels it (0: no limit). */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// URL')
      .optional(),
  ),
  /** Namespace of Chatmark's Redis keys, so one Redis can serve several installations. */
  REDIS_PREFIX: z.string().default('chatmark:'),
  CHATMARK_BASE_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  CHATMARK_API_KEY: optionalString.pipe(
    z.string().min(24, 'CHATMARK_API_KEY must be at least 24 characters').optional(),
  ),
  /**
   * The key of the identity hashes (email, phone), kept out of the database they protect. Required
   * on PostgreSQL; on SQLite, unset means DATA_DIR/secret.key (made on first start).
   */
  CHATMARK_SECRET_KEY: optionalString.pipe(
    z
      .string()
      .min(32, 'CHATMARK_SECRET_KEY must be at least 32 characters (openssl rand -base64 32)')
      .optional(),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Behind reverse proxies: how many of them stand in front of Chatmark. The client address is
   * read that many entries from the right of X-Forwarded-For (entries further left are whatever
   * the client chose to send). `true` means one.
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v) => v?.trim().toLowerCase() ?? '')
    .pipe(
      z.union([
        z.enum(['', 'false', 'no']).transform(() => 0),
        z.enum(['true', 'yes']).transform(() => 1),
        z
          .string()
          .regex(/^\d{1,2}$/, 'TRUST_PROXY must be true, false or a number of proxy hops')
          .transform(Number),
      ]),
    ),
  /** API requests per minute per key (and tracking calls per visitor) before 429; 0 turns it off. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  /** Failed authentications per minute per client address before 429; 0 turns it off. */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).default(20),
  /** Comma-separated `host[:port]` values whose Host header may name the public origin. */
  CHATMARK_ALLOWED_HOSTS: optionalString,
  CHATMARK_DEBUG: flag,
  WHATSAPP_APP_SECRET: optionalString,
  WHATSAPP_VERIFY_TOKEN: optionalString,
  TELEGRAM_WEBHOOK_SECRET: optionalString,
  /** The bot's username, so `/start@otherbot` in a group is not taken for this bot's. */
  TELEGRAM_BOT_USERNAME: optionalString,
  VIBER_AUTH_TOKEN: optionalString,
  META_APP_SECRET: optionalString,
  META_VERIFY_TOKEN: optionalString,
  SHOPIFY_WEBHOOK_SECRET: optionalString,
});

export type Config = Readonly<{
  port: number;
  host: string;
  dataDir: string;
  store: Readonly<
    | { kind: 'sqlite'; file: string }
    | { kind: 'postgres'; url: string; schema?: string | undefined; statementTimeoutMs?: number | undefined }
  >;
  redisUrl: string | undefined;
  redisPrefix: string;
  /** The public origin of short links, without a trailing slash; unset: see `allowedHosts`. */
  baseUrl: string | undefined;
  /**
   * Without `baseUrl`: the hosts a request's Host may name to become the origin of the links shown
   * to it, lower case. From CHATMARK_ALLOWED_HOSTS: `host[:port]`, where an entry without a port
   * allows any port. By default (`onServerPort`): this machine's names, on the port the server
   * listens on (known only once it listens when PORT is 0).
   */
  allowedHosts: Readonly<{ hosts: readonly string[]; onServerPort: boolean }>;
  bootstrapApiKey: string | undefined;
  /** CHATMARK_SECRET_KEY: the identity hashes' key; never stored in the database. */
  secretKey: string | undefined;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** Reverse proxies in front of Chatmark whose X-Forwarded-For entries are trusted (0: none). */
  trustProxy: number;
  rateLimitPerMinute: number;
  authFailuresPerMinute: number;
  debug: boolean;
  /** Each platform's webhook secrets; a platform whose secret is unset answers 503 `not_configured`. */
  webhooks: Readonly<{
    whatsappAppSecret: string | undefined;
    whatsappVerifyToken: string | undefined;
    telegramSecret: string | undefined;
    telegramBotUsername: string | undefined;
    viberAuthToken: string | undefined;
    metaAppSecret: string | undefined;
    metaVerifyToken: string | undefined;
    shopifySecret: string | undefined;
  }>;
}>;

/**
 * Reads the environment once into a frozen Config; the only place that reads `process.env`.
 * Fails fast with every problem named (code `invalid_config`, field = the variable).
 *
 * @example const config = loadConfig(process.env);
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    throw new ChatmarkError('invalid_config', `${field}: ${issue?.message ?? 'invalid'}`, field);
  }
  const e = parsed.data;
  const baseUrl = e.CHATMARK_BASE_URL?.replace(/\/+$/, '');
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    store: Object.freeze(
      e.DATABASE_URL
        ? {
            kind: 'postgres' as const,
            url: e.DATABASE_URL,
            schema: e.DATABASE_SCHEMA,
            statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
          }
        : { kind: 'sqlite' as const, file: join(e.DATA_DIR, 'chatmark.db') },
    ),
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    baseUrl,
    allowedHosts: Object.freeze(
      e.CHATMARK_ALLOWED_HOSTS !== undefined
        ? {
            hosts: Object.freeze(
              e.CHATMARK_ALLOWED_HOSTS.split(',')
                .map((h) => h.trim().toLowerCase())
                .filter(Boolean),
            ),
            onServerPort: false,
          }
        : { hosts: Object.freeze(ownNames(e.HOST)), onServerPort: true },
    ),
    bootstrapApiKey: e.CHATMARK_API_KEY,
    secretKey: e.CHATMARK_SECRET_KEY,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE,
    debug: e.CHATMARK_DEBUG,
    webhooks: Object.freeze({
      whatsappAppSecret: e.WHATSAPP_APP_SECRET,
      whatsappVerifyToken: e.WHATSAPP_VERIFY_TOKEN,
      telegramSecret: e.TELEGRAM_WEBHOOK_SECRET,
      telegramBotUsername: e.TELEGRAM_BOT_USERNAME?.replace(/^@/, ''),
      viberAuthToken: e.VIBER_AUTH_TOKEN,
      metaAppSecret: e.META_APP_SECRET,
      metaVerifyToken: e.META_VERIFY_TOKEN,
      shopifySecret: e.SHOPIFY_WEBHOOK_SECRET,
    }),
  });
}

/** This machine's own names, and the listening address when it is a specific one. */
function ownNames(host: string): string[] {
  const names = ['localhost', '127.0.0.1', '[::1]'];
  const own = (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host).toLowerCase();
  if (host !== '0.0.0.0' && host !== '::' && !names.includes(own)) names.push(own);
  return names;
}

/** The environment of this process; kept here so nothing else touches `process.env`. */
export function processEnv(): Record<string, string | undefined> {
  return process.env;
}
