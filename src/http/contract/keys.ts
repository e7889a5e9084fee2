import { z } from 'zod';
import { ROLES } from '../../domain/roles.js';

/** API keys (admin only): the secret is answered once, at creation. */

export const role = z.enum(ROLES);
export type Role = z.infer<typeof role>;

export const keyView = z.object({
  id: z.number(),
  name: z.string(),
  role,
  prefix: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type ApiKey = z.output<typeof keyView>;

export const keyList = z.object({ keys: z.array(keyView) });
export type KeyList = z.output<typeof keyList>;
export const keyBody = z.object({ name: z.string().min(1).max(100), role }).strict();
export const createdKey = z.object({ key: keyView, secret: z.string().describe('shown once, never again') });
export type CreatedKey = z.output<typeof createdKey>;
export const keyParams = z.object({ id: z.coerce.number().int().positive() });
