import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext, ZodApp } from '../app.js';

/** `/healthz` (the store answers) and `/metrics` (Prometheus text format). */
export function systemRoutes(app: ZodApp, ctx: AppContext): void {
  app.get(
    '/healthz',
    {
      config: { role: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness and store check',
        security: [],
        response: { 200: z.object({ status: z.literal('ok'), store: z.enum(['sqlite', 'postgres']) }) },
      },
    },
    async () => {
      await sql`select 1`.execute(ctx.store.db);
      return { status: 'ok' as const, store: ctx.store.dialect.name };
    },
  );
  app.get('/metrics', { config: { role: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    void reply.type(ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
