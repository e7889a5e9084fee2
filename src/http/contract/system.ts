import { z } from 'zod';

/** `/healthz`: readiness of the store (Redis is reported, not required). */
export const health = z.object({
  status: z.literal('ok'),
  store: z.enum(['sqlite', 'postgres']),
  redis: z.enum(['up', 'down']).optional().describe('Only with REDIS_URL'),
});
export type Health = z.output<typeof health>;
