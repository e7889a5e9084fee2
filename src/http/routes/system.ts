import type { ConnectionState } from '../../store/connection-state.js';
import type { AppContext, ZodApp } from '../app.js';
import { health } from '../contract/system.js';

/**
 * `/healthz` (readiness: 200 while the store answers, 503 `store_unavailable` while it does not;
 * Redis is reported but optional, so it never fails the check) and `/metrics` (Prometheus).
 */
export function systemRoutes(services: { redis?: ConnectionState | undefined } = {}) {
  return (app: ZodApp, ctx: AppContext): void => {
    app.get(
      '/healthz',
      {
        config: { role: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Readiness: the store answers (Redis is reported, not required)',
          security: [],
          response: { 200: health },
        },
      },
      async () => {
        await ctx.store.ping();
        const { redis } = services;
        return {
          status: 'ok' as const,
          store: ctx.store.dialect.name,
          ...(redis && { redis: redis.isUp ? ('up' as const) : ('down' as const) }),
        };
      },
    );
    app.get('/metrics', { config: { role: 'public' }, schema: { hide: true } }, async (_request, reply) => {
      void reply.type(ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    });
  };
}
