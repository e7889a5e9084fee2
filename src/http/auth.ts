import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ChatmarkError } from '../domain/errors.js';
import { authenticate, roleAllows, touchApiKey } from '../services/keys.service.js';
import type { AppContext } from './app.js';
import { httpErrors } from './errors.js';

const TOUCH_EVERY_MS = 60_000;

/**
 * Bearer-key authentication for `/api/*` (other paths are public: redirects, webhooks with their
 * own signatures, docs). A route names the least role it needs in `config.role`; API routes
 * default to `viewer`, which may only read.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  const lastTouched = new Map<number, number>();
  async function limit(key: string, reply: FastifyReply): Promise<void> {
    if (!ctx.limiter) return;
    const decision = await ctx.limiter.hit(key, ctx.now());
    void reply
      .header('x-ratelimit-limit', decision.limit)
      .header('x-ratelimit-remaining', decision.remaining);
    if (!decision.allowed) {
      void reply.header('retry-after', Math.ceil(decision.resetMs / 1000));
      throw new ChatmarkError(
        'rate_limited',
        `Too many requests; try again in ${Math.ceil(decision.resetMs / 1000)} s`,
      );
    }
  }
  app.addHook('onRequest', async (request, reply) => {
    const role = request.routeOptions.config.role;
    if (role === 'public' && request.url.startsWith('/api/track/')) {
      // Keyed by a hash: not even the rate limiter keeps a raw address.
      await limit(`visit:${createHash('sha256').update(request.ip).digest('base64url').slice(0, 16)}`, reply);
    }
    if (role === 'public' || (role === undefined && !request.url.startsWith('/api/'))) return;
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw httpErrors.unauthorized();
    const key = await authenticate(ctx.store.db, match[1]);
    if (!key) throw httpErrors.unauthorized('The API key is unknown or revoked');
    const needed = role ?? (request.method === 'GET' || request.method === 'HEAD' ? 'viewer' : 'editor');
    if (!roleAllows(key.role, needed)) throw httpErrors.forbidden(needed);
    request.apiKey = key;
    await limit(`key:${key.id}`, reply);
    const now = ctx.now();
    if (now - (lastTouched.get(key.id) ?? 0) > TOUCH_EVERY_MS) {
      lastTouched.set(key.id, now);
      await touchApiKey(ctx.store.db, key.id, now);
    }
  });
}
