import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../../domain/errors.js';
import { isCurrency } from '../../domain/event-rules.js';

/** Shared request/response pieces, so each route's schema reads as its resource. */
export const isoDate = z.iso.datetime({ offset: true }).describe('ISO 8601 time, e.g. 2026-11-23T10:00:00Z');
export const money = z.object({
  amount: z.number().int().describe('Integer minor units (85.00 USD is 8500)'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'An ISO 4217 code such as USD')
    .describe('ISO 4217 currency'),
});
/**
 * Money as a request sends it: the currency must be a real ISO 4217 code (422 `invalid_currency`).
 * Responses keep `money`, so a row stored before this check still serialises.
 */
export const moneyInput = money.extend({
  currency: money.shape.currency.refine(isCurrency, {
    message: 'Not an ISO 4217 currency code',
    params: { code: 'invalid_currency' },
  }),
});
export const utmValues = z
  .object({
    source: z.string().optional(),
    medium: z.string().optional(),
    campaign: z.string().optional(),
    term: z.string().optional(),
    content: z.string().optional(),
  })
  .strict();
export const idParam = z.object({ id: z.coerce.number().int().positive() });
/** Who an event or a send is about, as the caller knows them. */
export const contactInput = z
  .object({
    externalId: z.string().min(1).max(200).optional(),
    email: z.string().max(320).optional(),
    phone: z.string().max(64).optional(),
  })
  .strict();
/**
 * Every error answer: `code` is one of the catalogue's (domain/error-codes.ts). Registered as the
 * OpenAPI component `Error`, which app.ts names as every documented route's 4XX and 5XX answer.
 */
export const errorBody = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).describe('Stable: clients switch on it. README lists every code'),
      message: z.string().describe('For a person; may change'),
      field: z.string().optional().describe('The input that was refused, e.g. `target.phone`'),
    }),
  })
  .meta({ id: 'Error' });

export const toMs = (iso: string | null | undefined): number | null | undefined =>
  iso === undefined ? undefined : iso === null ? null : Date.parse(iso);
export const toIso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * A query parameter with a closed set of values: typed and listed in /openapi.json as z.enum's
 * are, but refused with its own catalogue code (zod's enum issue carries none), e.g.
 * `invalid_group_by`.
 */
export function closedSet<const T extends readonly [string, ...string[]]>(values: T, code: ErrorCode) {
  const allowed: readonly string[] = values;
  return z
    .string()
    .refine((value): value is T[number] => allowed.includes(value), {
      message: `must be one of ${values.join(', ')}`,
      params: { code },
    })
    .meta({ enum: [...values] });
}
