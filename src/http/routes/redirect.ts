import type { RedirectAnswer } from '../../redirect/http.js';
import type { ZodApp } from '../app.js';
import { redirectParams, redirectQuery } from '../contract/redirect.js';

/**
 * `GET /:code` — the short link. Always 302 (never 301: a cached 301 would skip the next click),
 * never cached by the browser or a proxy. A running server answers these from the raw fast path
 * (src/redirect/http.ts) before Fastify sees them; this route answers with the same handler the
 * requests the fast path leaves to Fastify (`inject`, codes outside its pattern) and documents the
 * redirect in OpenAPI.
 */
export function redirectRoutes(answer: RedirectAnswer) {
  return (app: ZodApp): void => {
    app.get(
      '/:code',
      {
        config: { role: 'public' },
        // The handler sets the redirect's own headers, the same as on the fast path.
        helmet: false,
        schema: {
          tags: ['redirect'],
          summary: 'Follow a short link (302 to the chat or page; records the click)',
          security: [],
          params: redirectParams,
          querystring: redirectQuery,
        },
      },
      (request, reply) => {
        reply.hijack();
        answer(request.raw, reply.raw, request.params.code);
      },
    );
  };
}
