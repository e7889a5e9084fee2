import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, LogController } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import { ChatmarkError, type ErrorCode, isChatmarkError, isErrorCode } from '../domain/errors.js';
import type { ApiKeyRecord } from '../store/api-keys.repository.js';
import { isStoreUnavailable, storeUnavailable } from '../store/availability.js';
import type { StoreDb } from '../store/dialect.js';
import { markPublicScope, registerAuth, requireRouteRoles, type RouteRole } from './auth.js';
import type { AppContext, ZodApp } from './context.js';
import { type ErrorBody, statusOf } from './errors.js';
import { LOG_REDACT_PATHS } from './log-redaction.js';
import { createMetrics, type Metrics } from './metrics.js';
import type { RateLimiter } from './rate-limit.js';
import { registerWellFormed } from './well-formed.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role that may call the route; `public` needs no key. Every route states one. */
    role?: RouteRole;
    /** A public route whose calls are limited per client address (the tracking pixel). */
    limitPerClient?: boolean;
  }
  interface FastifyRequest {
    apiKey: ApiKeyRecord | null;
  }
}

/** Route modules import these from here; they live in context.ts, which auth.ts imports without a cycle. */
export type { AppContext, ZodApp };

export interface AppOptions {
  config: Config;
  store: StoreDb;
  now?: () => number;
  /** A pino logger option; tests pass `false` (or a stream to read the log). */
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
  metrics?: Metrics;
  limiter?: RateLimiter | null;
  /** Answers some requests before Fastify (the redirect); calls `next` for the rest. */
  fastPath?: (
    request: IncomingMessage,
    response: ServerResponse,
    next: (request: IncomingMessage, response: ServerResponse) => void,
  ) => void;
  /** Called when a request failed because the database could not be reached (before its 503). */
  onStoreUnavailable?: (error: unknown) => void;
  routes: ReadonlyArray<(app: ZodApp, ctx: AppContext) => void | Promise<void>>;
}

const BODY_LIMIT = 1024 * 1024;

/**
 * Security headers on everything Fastify answers: API, dashboard, docs (the redirect writes its
 * own minimal set). The CSP allows only this origin's scripts (the Vite build and swagger-ui load
 * no inline script), inline styles (recharts and swagger-ui set style attributes), data: images
 * (QR codes, icons); nothing may frame the pages. No HSTS: whether a host is HTTPS-only is the
 * TLS-terminating proxy's call, and includeSubDomains could reach the operator's other hosts. No
 * upgrade-insecure-requests: the dashboard is served over plain HTTP on a LAN address too.
 */
const SECURITY_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'", 'data:'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
    },
  },
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: false,
} as const;

/**
 * Builds the HTTP app (tests call it and use `inject`; `serve` listens). One error shape for
 * everything: `{"error":{"code","message","field?"}}`.
 */
export async function createApp(options: AppOptions): Promise<{ app: FastifyInstance; ctx: AppContext }> {
  const { config, fastPath } = options;
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: typeof options.logger === 'object' ? options.logger.level : config.logLevel,
            ...(typeof options.logger === 'object' &&
              options.logger.stream && { stream: options.logger.stream }),
            redact: LOG_REDACT_PATHS,
            serializers: {
              // No client address in logs: raw IPs are never stored (privacy by default).
              req: (req: { method: string; url: string; id: string }) => ({
                method: req.method,
                url: req.url,
                id: req.id,
              }),
            },
          },
    bodyLimit: BODY_LIMIT,
    // A hop count: the client is that many entries from the right of X-Forwarded-For (the same
    // rule as the redirect fast path's `clientAddress`).
    trustProxy: config.trustProxy > 0 ? (_address: string, hop: number) => hop < config.trustProxy : false,
    // Our own onResponse hook logs API calls; redirects aren't logged one by one.
    logController: new LogController({ disableRequestLogging: true }),
    ...(fastPath && {
      serverFactory: (handler: (request: IncomingMessage, response: ServerResponse) => void) =>
        createServer((request, response) => fastPath(request, response, handler)),
    }),
    genReqId: () => crypto.randomUUID(),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('apiKey', null);
  // navigator.sendBeacon posts JSON as text/plain (no CORS preflight); parse it as JSON.
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(
        Object.assign(new Error('invalid JSON'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }),
      );
    }
  });

  const ctx: AppContext = {
    config,
    store: options.store,
    now: options.now ?? Date.now,
    metrics: options.metrics ?? createMetrics(),
    limiter: options.limiter ?? null,
  };

  // Before any route is added: each one must state its role.
  requireRouteRoles(app);
  await app.register(helmet, SECURITY_HEADERS);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Chatmark API',
        version: '0.1.0',
        description: 'Click-to-chat links, tracked redirects, chat-start attribution and funnel reports.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key: cm_…' } },
      },
      security: [{ bearer: [] }],
    },
    transform: withErrorResponses,
    // Adds the schemas registered with an id (schemas.ts `errorBody` as `Error`) to the components.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(async (docs) => {
    markPublicScope(docs);
    await docs.register(swaggerUi, { routePrefix: '/docs' });
  });
  app.get('/openapi.json', { schema: { hide: true }, config: { role: 'public' } }, async () => app.swagger());

  app.setErrorHandler((caught: FastifyError, request, reply) => {
    // The database being away is not a bug of this request: 503 with a stable code, so clients
    // retry, instead of an opaque 500 per request (and one log line per outage, not per request).
    let error = caught;
    if (!isChatmarkError(caught) && isStoreUnavailable(caught)) {
      options.onStoreUnavailable?.(caught);
      ctx.metrics.storeUnavailable.inc();
      error = storeUnavailable(caught) as unknown as FastifyError;
      void reply.header('retry-after', '2');
    }
    const body = toErrorBody(error);
    const status = statusOf(body.error.code);
    // Our own errors keep their code (e.g. 503 not_configured); anything else is opaque.
    if (status >= 500 && !isChatmarkError(error)) {
      request.log.error({ err: error, reqId: request.id }, 'unhandled error');
      body.error = { code: 'internal', message: `Internal error (request ${request.id})` };
    }
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      error: { code: 'route_not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` },
    };
    void reply.status(statusOf(body.error.code)).send(body);
  });
  // One line per call to a keyed route, per write (public ones too: webhooks, tracking) and per
  // server error, named by the MATCHED route (the raw URL can be encoded to look like anything).
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? null;
    const role = request.routeOptions.config.role;
    const write = request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS';
    if ((role !== undefined && role !== 'public') || write || reply.statusCode >= 500) {
      request.log.info(
        {
          reqId: request.id,
          method: request.method,
          route,
          status: reply.statusCode,
          key: request.apiKey?.id ?? null,
        },
        'api',
      );
    }
  });

  registerAuth(app, ctx);
  registerWellFormed(app);
  for (const register of options.routes) await register(app.withTypeProvider<ZodTypeProvider>(), ctx);
  return { app, ctx };
}

/**
 * The route schemas as OpenAPI shows them, plus the error answers every route may give (the
 * `Error` component: `{"error":{"code","message","field?"}}`, `code` from the catalogue). Only the
 * document changes: what a route answers is still serialised by its own schemas. The redirect is
 * left out: it answers people, and its 404 and 410 are HTML pages.
 */
const withErrorResponses: typeof jsonSchemaTransform = (input) => {
  const transformed = jsonSchemaTransform(input);
  const schema = transformed.schema as {
    hide?: boolean;
    tags?: string[];
    response?: Record<string, unknown>;
  };
  if (schema.hide || schema.tags?.includes('redirect')) return transformed;
  const error = { $ref: '#/components/schemas/Error' };
  return {
    ...transformed,
    schema: {
      ...schema,
      response: {
        ...schema.response,
        '4XX': { description: 'Refused: `error.code` says why (README lists every code)', ...error },
        '5XX': { description: 'Failed on the server (`internal`, `store_unavailable`, …)', ...error },
      },
    },
  };
};

interface ZodIssueLike {
  path: (string | number)[];
  message: string;
  errors?: ZodIssueLike[][];
  /** The error code a schema's own check names (`refine(…, { params: { code } })`), if any. */
  code?: ErrorCode;
}

/** The code a refinement put in its issue's params (schemas.ts `moneyInput`), else undefined. */
function codeOf(params: Record<string, unknown> | undefined): ErrorCode | undefined {
  const code = (params?.params as { code?: unknown } | undefined)?.code;
  return isErrorCode(code) ? code : undefined;
}

/**
 * The issue to report. A body that may be one item or a list is a union, and zod then reports
 * "invalid input" at the top; the branch whose first issue lies deepest names the real field.
 */
function mostSpecificIssue(validation: {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}): ZodIssueLike {
  const path = (validation.instancePath ?? '').split('/').filter(Boolean);
  const code = codeOf(validation.params);
  const issue: ZodIssueLike = { path, message: validation.message ?? 'invalid', ...(code && { code }) };
  const branches = validation.params?.errors;
  if (!Array.isArray(branches)) return issue;
  let best = issue;
  for (const branch of branches as ZodIssueLike[][]) {
    const candidate = branch[0];
    if (candidate && candidate.path.length >= best.path.length) {
      best = {
        ...mostSpecificIssue({
          instancePath: `/${[...path, ...candidate.path].join('/')}`,
          message: candidate.message,
          params: candidate as unknown as Record<string, unknown>,
        }),
      };
    }
  }
  return best;
}

function toErrorBody(error: FastifyError): ErrorBody {
  if (isChatmarkError(error)) return { error: error.toJSON() };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0];
    const issue = first ? mostSpecificIssue(first) : undefined;
    const field = issue?.path.length ? issue.path.join('.') : undefined;
    const where = error.validationContext === 'body' ? '' : `${error.validationContext} `;
    const message = `${where}${field ? `${field}: ` : ''}${issue?.message ?? 'invalid'}`;
    return { error: new ChatmarkError(issue?.code ?? 'invalid_request', message, field).toJSON() };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        error: { code: 'payload_too_large', message: `Request bodies are limited to ${BODY_LIMIT} bytes` },
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { error: { code: 'invalid_json', message: 'The request body is not valid JSON' } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        error: { code: 'unsupported_media_type', message: 'Send JSON (Content-Type: application/json)' },
      };
  }
  if (error.statusCode === 429) return { error: { code: 'rate_limited', message: error.message } };
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return { error: { code: 'bad_request', message: error.message } };
  }
  return { error: { code: 'internal', message: 'Internal error' } };
}
