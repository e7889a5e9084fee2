import { z } from 'zod';
import type { IdentityHasher } from '../../services/identity.js';
import { recordCost, recordExposuresInRuns } from '../../services/spend.service.js';
import type { AppContext, ZodApp } from '../app.js';
import { isoDate, moneyInput } from '../schemas.js';

const contact = z
  .object({
    externalId: z.string().min(1).max(200).optional(),
    email: z.string().max(320).optional(),
    phone: z.string().max(64).optional(),
  })
  .strict();
const exposure = z
  .object({
    contact,
    campaignId: z.number().int().positive().nullable().optional(),
    linkId: z.number().int().positive().nullable().optional(),
    channel: z.string().max(32).nullable().optional(),
    sentAt: isoDate,
    idempotencyKey: z.string().min(1).max(200).optional(),
  })
  .strict();
const cost = z
  .object({
    campaignId: z.number().int().positive(),
    date: z.string().describe('UTC day, YYYY-MM-DD'),
    spend: moneyInput,
    impressions: z.number().int().min(0).nullable().optional(),
    reach: z.number().int().min(0).nullable().optional(),
  })
  .strict();

/** `POST /api/exposures` (sends: the billboard model's touches) and `POST /api/costs` (spend per day). */
export function spendRoutes(identities: IdentityHasher) {
  return (app: ZodApp, ctx: AppContext): void => {
    app.post(
      '/api/exposures',
      {
        config: { role: 'editor' },
        schema: {
          tags: ['spend'],
          summary: 'Record messages sent to contacts (one or up to 10,000)',
          body: z.union([exposure, z.array(exposure).max(10_000)]),
        },
      },
      async (request, reply) => {
        const items = Array.isArray(request.body) ? request.body : [request.body];
        const created = await recordExposuresInRuns(
          ctx.store.db,
          identities,
          items.map((e) => ({ ...e, sentAt: Date.parse(e.sentAt) })),
          ctx.now(),
        );
        return reply.status(201).send({ received: items.length, created });
      },
    );
    app.post(
      '/api/costs',
      {
        config: { role: 'editor' },
        schema: {
          tags: ['spend'],
          summary:
            "Set a campaign's spend for a day (and impressions, reach); the same day again replaces it",
          body: z.union([cost, z.array(cost).max(10_000)]),
        },
      },
      async (request, reply) => {
        const items = Array.isArray(request.body) ? request.body : [request.body];
        await ctx.store.db.transaction().execute(async (trx) => {
          for (const item of items) await recordCost(trx, item, ctx.now());
        });
        return reply.status(201).send({ received: items.length });
      },
    );
  };
}
