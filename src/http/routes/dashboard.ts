import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { AppContext, ZodApp } from '../app.js';
import { markPublicScope } from '../auth.js';

/** The built dashboard (web/, built by `npm install` into web/dist). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/**
 * Serves the dashboard at `/` (and its assets under `/assets/`). Deep links of the single-page app
 * (`/app/...`) get its index.html. Without a build, `/` says how to make one.
 */
export async function dashboardRoutes(app: ZodApp, _ctx: AppContext): Promise<void> {
  if (!existsSync(`${DASHBOARD_DIR}index.html`)) {
    app.get('/', { config: { role: 'public' }, schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><title>Chatmark</title><p>The dashboard is not built. Run <code>npm run build</code> (npm install does it), then reload. The API is at <a href="/docs">/docs</a>.</p>',
        ),
    );
    return;
  }
  await app.register(async (files) => {
    // Every file of the build is a route of @fastify/static, which takes no route config.
    markPublicScope(files);
    await files.register(fastifyStatic, {
      root: DASHBOARD_DIR,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
    });
    files.get('/app/*', { config: { role: 'public' }, schema: { hide: true } }, async (_request, reply) =>
      reply.sendFile('index.html'),
    );
  });
}
