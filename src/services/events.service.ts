import { ChatmarkError } from '../domain/errors.js';
import { normalizeRefToken, type RefCodec } from '../domain/ref-token.js';
import { getClick } from '../store/clicks.repository.js';
import { type Identity, resolveContact } from '../store/contacts.repository.js';
import type { Db } from '../store/db.js';
import type { StoreDb } from '../store/dialect.js';
import {
  type DiscountCode,
  getDiscountCode,
  redeemDiscountCode,
} from '../store/discount-codes.repository.js';
import { type EventRecord, hasChatStarted, insertEvent } from '../store/events.repository.js';
import { getLink } from '../store/links.repository.js';
import type { IdentityHasher } from './identity.js';

/** The standard event types; any other lower-case name is a custom event. */
export const EVENT_TYPES = ['chat_started', 'qualified', 'lead', 'booking', 'purchase', 'refund'] as const;

const STITCH_WINDOW_MS = 30 * 86_400_000;

export interface EventInput {
  type: string;
  occurredAt: number;
  idempotencyKey: string;
  /** `api`, `webhook:whatsapp`, `webhook:shopify`, … */
  source: string;
  contact?:
    { externalId?: string | undefined; email?: string | undefined; phone?: string | undefined } | undefined;
  /** Identities the caller already derived (a webhook's channel identity). */
  identities?: readonly Identity[] | undefined;
  /** The click id (`cm_click`, a canonical or printed ref token). */
  clickId?: string | undefined;
  /** A ref token found in a chat, or given by the caller. */
  ref?: string | undefined;
  discountCode?: string | undefined;
  value?: { amount: number; currency: string } | undefined;
  properties?: Record<string, unknown> | undefined;
}

export interface EventDeps {
  store: StoreDb;
  codec: RefCodec;
  identities: IdentityHasher;
}

export interface RecordedEvent {
  event: EventRecord;
  created: boolean;
}

/** Where an event's click, link and campaign come from: the click token first, then the discount code. */
async function attributionOf(
  db: Db,
  codec: RefCodec,
  input: EventInput,
): Promise<{ clickId: number | null; linkId: number | null; campaignId: number | null }> {
  const given = input.clickId ?? input.ref;
  if (given === undefined) return { clickId: null, linkId: null, campaignId: null };
  const field = input.clickId !== undefined ? 'clickId' : 'ref';
  const token = normalizeRefToken(given);
  const number = token === undefined ? undefined : codec.decode(token);
  const click = number === undefined ? undefined : await getClick(db, number);
  if (!click) {
    throw new ChatmarkError('unknown_click', `"${given}" is not the id of a click Chatmark recorded`, field);
  }
  const link = await getLink(db, click.linkId);
  return { clickId: click.id, linkId: click.linkId, campaignId: link?.campaignId ?? null };
}

async function discountCodeOf(db: Db, input: EventInput): Promise<DiscountCode | null> {
  if (input.discountCode === undefined) return null;
  const code = await getDiscountCode(db, input.discountCode);
  if (!code)
    throw new ChatmarkError(
      'unknown_discount_code',
      `No discount code "${input.discountCode}"`,
      'discountCode',
    );
  if (code.validFrom !== null && input.occurredAt < code.validFrom) {
    throw new ChatmarkError(
      'discount_code_not_yet_valid',
      `"${code.code}" is not valid before ${new Date(code.validFrom).toISOString()}`,
      'discountCode',
    );
  }
  if (code.validTo !== null && input.occurredAt > code.validTo) {
    throw new ChatmarkError(
      'discount_code_expired',
      `"${code.code}" expired at ${new Date(code.validTo).toISOString()}`,
      'discountCode',
    );
  }
  return code;
}

/** The contact of the chat that the click started, when one did (stitching by click). */
async function contactOfClick(db: Db, clickId: number): Promise<number | null> {
  const row = await db
    .selectFrom('events')
    .select('contact_id')
    .where('click_id', '=', clickId)
    .where('contact_id', 'is not', null)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row?.contact_id ?? null;
}

/**
 * Records one event, once per idempotency key: resolves its click → link → campaign (from the
 * click id or ref token, else the discount code), stitches the contact (identities, or the contact
 * whose chat the click started), marks repeated chat starts as re-entries, and redeems a discount
 * code on a purchase. All in one transaction: a refused redemption records nothing.
 */
export async function recordEvent(deps: EventDeps, input: EventInput, now: number): Promise<RecordedEvent> {
  const identities = [
    ...(input.identities ?? []),
    ...(input.contact ? deps.identities.contact(input.contact) : []),
  ];
  return deps.store.db.transaction().execute(async (trx) => {
    const attribution = await attributionOf(trx, deps.codec, input);
    const code = await discountCodeOf(trx, input);
    const linkId = attribution.linkId ?? code?.linkId ?? null;
    let campaignId = attribution.campaignId ?? code?.campaignId ?? null;
    if (campaignId === null && linkId !== null) campaignId = (await getLink(trx, linkId))?.campaignId ?? null;
    let contactId: number | null = null;
    if (identities.length > 0) contactId = await resolveContact(trx, identities, now);
    else if (attribution.clickId !== null) contactId = await contactOfClick(trx, attribution.clickId);
    // Stitching by contact: an event with no click or code of its own belongs to the chat the
    // contact last started (within 30 days), e.g. a `qualified` sent with just the email address.
    let chat: { click_id: number | null; link_id: number | null; campaign_id: number | null } | undefined;
    if (campaignId === null && linkId === null && contactId !== null && input.type !== 'chat_started') {
      chat = await trx
        .selectFrom('events')
        .select(['click_id', 'link_id', 'campaign_id'])
        .where('contact_id', '=', contactId)
        .where('type', '=', 'chat_started')
        .where('occurred_at', '<=', input.occurredAt)
        .where('occurred_at', '>=', input.occurredAt - STITCH_WINDOW_MS)
        .orderBy('occurred_at', 'desc')
        .limit(1)
        .executeTakeFirst();
    }
    const reentry =
      input.type === 'chat_started' && contactId !== null
        ? await hasChatStarted(trx, contactId, campaignId)
        : false;

    const recorded = await insertEvent(trx, {
      type: input.type,
      occurredAt: input.occurredAt,
      receivedAt: now,
      idempotencyKey: input.idempotencyKey,
      source: input.source,
      contactId,
      clickId: attribution.clickId ?? chat?.click_id ?? null,
      linkId: linkId ?? chat?.link_id ?? null,
      campaignId: campaignId ?? chat?.campaign_id ?? null,
      discountCodeId: code?.id ?? null,
      value: input.value ?? null,
      reentry,
      properties: input.properties ?? null,
    });
    if (recorded.created && code && input.type === 'purchase' && !(await redeemDiscountCode(trx, code.id))) {
      throw new ChatmarkError(
        'discount_code_used',
        `The single-use code "${code.code}" was redeemed already`,
        'discountCode',
      );
    }
    return recorded;
  });
}
