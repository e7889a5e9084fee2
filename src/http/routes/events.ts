import { type z } from 'zod';
import { ChatmarkError, isChatmarkError } from '../../domain/errors.js';
import { type EventDeps, type EventInput, recordEvent, recordEvents } from '../../services/events.service.js';
import { createDiscountCode } from '../../services/discount-codes.service.js';
import type { EventRecord } from '../../store/events.repository.js';
import type { AppContext, ZodApp } from '../app.js';
import { toIso } from '../contract/common.js';
import {
  discountCodeBody,
  discountCodeView,
  eventBody,
  type EventBody,
  eventRecorded,
  eventsAnswer,
  eventsRequest,
  type EventView,
} from '../contract/events.js';

export function eventView(event: EventRecord, codec: EventDeps['codec']): EventView {
  return {
    id: event.id,
    type: event.type,
    occurredAt: new Date(event.occurredAt).toISOString(),
    receivedAt: new Date(event.receivedAt).toISOString(),
    idempotencyKey: event.idempotencyKey,
    source: event.source,
    contactId: event.contactId,
    clickId: event.clickId === null ? null : codec.encode(event.clickId),
    linkId: event.linkId,
    campaignId: event.campaignId,
    discountCodeId: event.discountCodeId,
    value: event.value,
    reentry: event.reentry,
    properties: event.properties,
  };
}

/** A zod failure on one batch item, in the API's error shape, with the item's field path. */
function itemError(error: z.ZodError): ChatmarkError {
  const issue = error.issues[0];
  const field = issue?.path.join('.') || undefined;
  return new ChatmarkError(
    'invalid_request',
    `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid'}`,
    field,
  );
}

/**
 * `POST /api/events` (one event, or up to 1,000): conversions and chat starts, recorded once per
 * idempotency key. In a batch every item gets its own result and the valid ones are kept.
 * `POST /api/discount-codes`.
 */
export function eventRoutes(deps: EventDeps) {
  return (app: ZodApp, ctx: AppContext): void => {
    const toInput = (body: EventBody): EventInput => ({
      ...body,
      occurredAt: Date.parse(body.occurredAt),
      source: 'api',
    });

    app.post(
      '/api/events',
      {
        config: { role: 'editor' },
        schema: {
          tags: ['events'],
          summary: 'Record conversions and chat starts (one, or an array of up to 1,000), idempotently',
          description:
            'Each event needs an idempotencyKey: sending it again records nothing and answers with the original. An array is a batch: every item gets its own result (created, duplicate or error) and valid items are kept.',
          body: eventsRequest,
          response: { 200: eventsAnswer, 201: eventRecorded },
        },
      },
      async (request, reply) => {
        if (!Array.isArray(request.body)) {
          const { event, created } = await recordEvent(deps, toInput(request.body as EventBody), ctx.now());
          return reply
            .status(created ? 201 : 200)
            .send({ event: eventView(event, deps.codec), duplicate: !created });
        }
        const items = request.body.map((item) => {
          const parsed = eventBody.safeParse(item);
          return parsed.success ? toInput(parsed.data) : itemError(parsed.error);
        });
        const valid = items.filter((item): item is EventInput => !isChatmarkError(item));
        const recorded = await recordEvents(deps, valid, ctx.now());
        let next = 0;
        let created = 0;
        let duplicates = 0;
        let errors = 0;
        const results = items.map((item, index) => {
          const result = isChatmarkError(item) ? item : recorded[next++];
          if (result === undefined || isChatmarkError(result)) {
            errors += 1;
            return {
              index,
              status: 'error' as const,
              error: (result ?? new ChatmarkError('internal', 'no result')).toJSON(),
            };
          }
          if (result.created) created += 1;
          else duplicates += 1;
          return {
            index,
            status: result.created ? ('created' as const) : ('duplicate' as const),
            event: eventView(result.event, deps.codec),
          };
        });
        return { created, duplicates, errors, results };
      },
    );

    app.post(
      '/api/discount-codes',
      {
        config: { role: 'editor' },
        schema: {
          tags: ['events'],
          summary: 'Register a discount code: a purchase that uses it is attributed to its campaign or link',
          body: discountCodeBody,
          response: { 201: discountCodeView },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const code = await createDiscountCode(
          ctx.store.db,
          {
            code: body.code,
            campaignId: body.campaignId ?? null,
            linkId: body.linkId ?? null,
            singleUse: body.singleUse,
            validFrom: body.validFrom ? Date.parse(body.validFrom) : null,
            validTo: body.validTo ? Date.parse(body.validTo) : null,
          },
          ctx.now(),
        );
        return reply.status(201).send({
          ...code,
          validFrom: toIso(code.validFrom),
          validTo: toIso(code.validTo),
          createdAt: new Date(code.createdAt).toISOString(),
        });
      },
    );
  };
}
