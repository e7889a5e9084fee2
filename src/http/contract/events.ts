import { z } from 'zod';
import { contactInput, errorBody, isoDate, money } from './common.js';

/** Events (conversions and chat starts) and discount codes: requests and answers side by side. */

export const MAX_EVENT_BATCH = 1000;

export const eventBody = z
  .object({
    type: z
      .string()
      .regex(
        /^[a-z][a-z0-9_]{0,63}$/,
        'lower-case letters, digits and _ (chat_started, qualified, lead, booking, purchase, refund, or your own)',
      ),
    occurredAt: isoDate,
    idempotencyKey: z.string().min(1).max(200),
    contact: contactInput.optional(),
    clickId: z.string().max(64).optional(),
    ref: z.string().max(64).optional(),
    discountCode: z.string().min(1).max(100).optional(),
    value: money.optional(),
    properties: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type EventBody = z.infer<typeof eventBody>;

/** One event, or a batch whose items are checked one by one (each gets its own result). */
export const eventsRequest = z.union([
  eventBody,
  z.array(z.unknown()).max(MAX_EVENT_BATCH).describe('a batch of events as above'),
]);

export const eventView = z.object({
  id: z.number(),
  type: z.string(),
  occurredAt: z.string(),
  receivedAt: z.string(),
  idempotencyKey: z.string(),
  source: z.string(),
  contactId: z.number().nullable(),
  clickId: z.string().nullable().describe('the click id (its ref token)'),
  linkId: z.number().nullable(),
  campaignId: z.number().nullable(),
  discountCodeId: z.number().nullable(),
  value: money.nullable(),
  reentry: z.boolean(),
  properties: z.record(z.string(), z.unknown()).nullable(),
});
export type EventView = z.output<typeof eventView>;

/** One event: 201 when recorded, 200 with the original when its idempotency key was seen. */
export const eventRecorded = z.object({ event: eventView, duplicate: z.boolean() });

const batchResult = z.discriminatedUnion('status', [
  z.object({ index: z.number(), status: z.literal('created'), event: eventView }),
  z.object({ index: z.number(), status: z.literal('duplicate'), event: eventView }),
  z.object({ index: z.number(), status: z.literal('error'), error: errorBody.shape.error }),
]);
export const eventBatchRecorded = z.object({
  created: z.number(),
  duplicates: z.number(),
  errors: z.number(),
  results: z.array(batchResult),
});

/** `POST /api/events` answers a single event or a batch. */
export const eventsAnswer = z.union([eventRecorded, eventBatchRecorded]);

export const discountCodeBody = z
  .object({
    code: z.string().min(1).max(100),
    campaignId: z.number().int().positive().nullable().optional(),
    linkId: z.number().int().positive().nullable().optional(),
    singleUse: z.boolean(),
    validFrom: isoDate.nullable().optional(),
    validTo: isoDate.nullable().optional(),
  })
  .strict();

export const discountCodeView = z.object({
  id: z.number(),
  code: z.string(),
  campaignId: z.number().nullable(),
  linkId: z.number().nullable(),
  singleUse: z.boolean(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  redemptions: z.number(),
  createdAt: z.string(),
});
export type DiscountCodeView = z.output<typeof discountCodeView>;
