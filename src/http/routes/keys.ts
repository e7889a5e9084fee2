import { z } from 'zod';
import { createApiKey, listKeys, ROLES, revokeKey } from '../../services/keys.service.js';
import type { AppContext, ZodApp } from '../app.js';

const keyView = z.object({
  id: z.number(),
  name: z.string(),
  role: z.enum(ROLES),
  prefix: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});

/** API keys: admin only. The secret is returned once, at creation. */
export function keyRoutes(app: ZodApp, ctx: AppContext): void {
  const tags = ['keys'];
  const admin = { role: 'admin' as const };
  app.get(
    '/api/keys',
    {
      config: admin,
      schema: { tags, summary: 'List API keys', response: { 200: z.object({ keys: z.array(keyView) }) } },
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
        body: z.object({ name: z.string().min(1).max(100), role: z.enum(ROLES) }).strict(),
        response: { 201: z.object({ key: keyView, secret: z.string() }) },
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
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: keyView },
      },
    },
    async (request) => revokeKey(ctx.store.db, request.params.id, ctx.now()),
  );
}
