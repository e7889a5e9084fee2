import { createApiKey, listKeys, revokeKey } from '../../services/keys.service.js';
import type { AppContext, ZodApp } from '../app.js';
import { createdKey, keyBody, keyList, keyParams, keyView } from '../contract/keys.js';

/** API keys: admin only. The secret is returned once, at creation. */
export function keyRoutes(app: ZodApp, ctx: AppContext): void {
  const tags = ['keys'];
  const admin = { role: 'admin' as const };
  app.get(
    '/api/keys',
    {
      config: admin,
      schema: { tags, summary: 'List API keys', response: { 200: keyList } },
    },
    async () => ({ keys: await listKeys(ctx.store.db) }),
  );
  app.post(
    '/api/keys',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create an API key (the secret is shown once)',
        body: keyBody,
        response: { 201: createdKey },
      },
    },
    async (request, reply) => {
      return reply.status(201).send(await createApiKey(ctx.store.db, request.body, ctx.now()));
    },
  );
  app.delete(
    '/api/keys/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Revoke an API key',
        params: keyParams,
        response: { 200: keyView },
      },
    },
    async (request) => revokeKey(ctx.store.db, request.params.id, ctx.now()),
  );
}
