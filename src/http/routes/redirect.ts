import { z } from 'zod';
import { outcomeOf, writeRedirect } from '../../redirect/http.js';
import type { Redirector } from '../../redirect/redirector.js';
import type { AppContext, ZodApp } from '../app.js';

/**
 * `GET /:code` — the short link. Always 302 (never 301: a cached 301 would skip the next click),
 * never cached by the browser or a proxy. A running server answers these from the raw fast path
 * (src/redirect/http.ts) before Fastify sees them; this route is the same redirect for `inject`
 * and for the OpenAPI document.
 */
export function redirectRoutes(redirect: Redirector) {
  return (app: ZodApp, ctx: AppContext): void => {
    app.get(
      '/:code',
      {
        config: { role: 'public' },
        // writeRedirect sets the redirect's own headers, the same as on the fast path.
        helmet: false,
        schema: {
          tags: ['redirect'],
          summary: 'Follow a short link (302 to the chat or page; records the click)',
          security: [],
          params: z.object({ code: z.string() }),
          querystring: z.object({ qr: z.string().optional() }).catchall(z.unknown()),
        },
      },
      async (request, reply) => {
        const result = await redirect({
          method: request.method,
          code: request.params.code,
          ip: request.ip,
          userAgent: request.headers['user-agent'],
          referer: request.headers.referer,
          query: request.query,
        });
        ctx.metrics.redirects.inc({ outcome: outcomeOf(result) });
        reply.hijack();
        const failed = writeRedirect(reply.raw, result);
        if (failed !== null) request.log.error({ err: failed, reqId: request.id }, 'redirect answer failed');
      },
    );
  };
}
