import { z } from 'zod';
import { contactInput, isoDate, moneyInput } from './common.js';

/** Sends (the billboard model's exposures) and spend per campaign and day. */

const exposure = z
  .object({
    contact: contactInput,
    campaignId: z.number().int().positive().nullable().optional(),
    linkId: z.number().int().positive().nullable().optional(),
    channel: z.string().max(32).nullable().optional(),
    sentAt: isoDate,
    idempotencyKey: z.string().min(1).max(200).optional(),
  })
  .strict();
export const exposuresBody = z.union([exposure, z.array(exposure).max(10_000)]);
export const exposuresRecorded = z.object({
  received: z.number(),
  created: z.number().describe('exposures not recorded before (by idempotency key)'),
});

const cost = z
  .object({
    campaignId: z.number().int().positive(),
    date: z.string().describe('UTC day, YYYY-MM-DD'),
    spend: moneyInput,
    impressions: z.number().int().min(0).nullable().optional(),
    reach: z.number().int().min(0).nullable().optional(),
  })
  .strict();
export const costsBody = z.union([cost, z.array(cost).max(10_000)]);
export const costsRecorded = z.object({ received: z.number() });
