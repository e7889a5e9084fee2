import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ChatmarkError } from '../domain/errors.js';
import { authenticate, roleAllows, touchApiKey } from '../services/keys.service.js';
import type { Role } from '../store/api-keys.repository.js';
import type { AppContext } from './context.js';
import { httpErrors } from './errors.js';
import type { RateDecision } from './rate-limit.js';

const TOUCH_EVERY_MS = 60_000;

/** The least role a route needs; `public` needs no key. */
export type RouteRole = Role | 'public';

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly role: RouteRole;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with the role it needs, as registered (`requireRouteRoles`). */
    readonly routeRoles: readonly RouteEntry[];
  }
}

const PUBLIC_SCOPE = Symbol('chatmark.publicScope');

/**
 * Makes every route registered inside `scope` (and its child plugins) public: for plugins whose
 * routes we do not write ourselves and that cannot take a route config (swagger-ui, static files).
 */
export function markPublicScope(scope: FastifyInstance): void {
  Object.defineProperty(scope, PUBLIC_SCOPE, { value: true });
}

/**
 * Refuses, at start, any route that does not state its role (`config: { role }`), so a route
 * added without one fails loudly instead of being open or closed by accident.
 *
 * @returns every route registered from now on, with its role (for tests and audits)
 */
export function requireRouteRoles(app: FastifyInstance): readonly RouteEntry[] {
  const routes: RouteEntry[] = [];
  app.decorate('routeRoles', routes);
  app.addHook('onRoute', function (route) {
    const methods = [route.method].flat();
    const role = route.config?.role ?? (PUBLIC_SCOPE in this ? ('public' as const) : undefined);
    if (role === undefined) {
      throw new Error(
        `Route ${methods.join('|')} ${route.url} states no role: add config: { role: 'public' | 'viewer' | 'editor' | 'admin' }`,
      );
    }
    route.config = { ...route.config, role };
    for (const method of methods) routes.push({ method, url: route.url, role });
  });
  return routes;
}

/** A client address as a rate-limit key: hashed, so not even the limiter keeps a raw address. */
const clientKey = (request: FastifyRequest): string =>
  createHash('sha256').update(`chatmark-client:${request.ip}`).digest('base64url').slice(0, 22);

function refuse(decision: RateDecision, reply: FastifyReply): never {
  const seconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
  void reply.header('retry-after', seconds);
  throw new ChatmarkError('rate_limited', `Too many requests; try again in ${seconds} s`);
}

/**
 * Bearer-key authorization decided on the MATCHED route's `config.role` (never on the raw URL,
 * which the router decodes and normalises differently). Only the not-found handler has no role;
 * it answers 404 to anyone. Failed authentications count per client address, and a client over
 * the limit is refused before its key is even checked, so guessing keys stays slow.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  const lastTouched = new Map<number, number>();
  const { rateLimitPerMinute, authFailuresPerMinute } = ctx.config;

  async function limit(key: string, reply: FastifyReply): Promise<void> {
    if (!ctx.limiter || rateLimitPerMinute === 0) return;
    const decision = await ctx.limiter.hit(key, rateLimitPerMinute, ctx.now());
    void reply
      .header('x-ratelimit-limit', decision.limit)
      .header('x-ratelimit-remaining', decision.remaining);
    if (!decision.allowed) refuse(decision, reply);
  }

  app.addHook('onRequest', async (request, reply) => {
    if (request.is404) return;
    const { role, limitPerClient } = request.routeOptions.config;
    if (role === 'public') {
      if (limitPerClient) await limit(`client:${request.routeOptions.url}:${clientKey(request)}`, reply);
      return;
    }
    const limiter = authFailuresPerMinute > 0 ? ctx.limiter : null;
    const failures = `auth-failures:${clientKey(request)}`;
    if (limiter) {
      const decision = await limiter.peek(failures, authFailuresPerMinute, ctx.now());
      if (!decision.allowed) refuse(decision, reply);
    }
    const fail = async (error: ChatmarkError): Promise<never> => {
      await limiter?.hit(failures, authFailuresPerMinute, ctx.now());
      throw error;
    };
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) return fail(httpErrors.unauthorized());
    const key = await authenticate(ctx.store.db, match[1]);
    if (!key) return fail(httpErrors.unauthorized('The API key is unknown or revoked'));
    // A route that somehow lost its role needs the highest one: deny by default.
    const needed = role ?? 'admin';
    request.apiKey = key; // also when refused below: the log names the key that tried
    if (!roleAllows(key.role, needed)) throw httpErrors.forbidden(needed);
    await limit(`key:${key.id}`, reply);
    const now = ctx.now();
    if (now - (lastTouched.get(key.id) ?? 0) > TOUCH_EVERY_MS) {
      lastTouched.set(key.id, now);
      await touchApiKey(ctx.store.db, key.id, now);
    }
  });
}
