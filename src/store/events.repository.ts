import type { Selectable } from 'kysely';
import { type Db, parseJson, toJson } from './db.js';
import type { EventTable } from './schema.js';

export interface EventRecord {
  id: number;
  type: string;
  occurredAt: number;
  receivedAt: number;
  idempotencyKey: string;
  source: string;
  contactId: number | null;
  clickId: number | null;
  linkId: number | null;
  campaignId: number | null;
  discountCodeId: number | null;
  value: { amount: number; currency: string } | null;
  reentry: boolean;
  properties: Record<string, unknown> | null;
}

export type NewEvent = Omit<EventRecord, 'id'>;

function toRecord(row: Selectable<EventTable>): EventRecord {
  return {
    id: row.id,
    type: row.type,
    occurredAt: row.occurred_at,
    receivedAt: row.received_at,
    idempotencyKey: row.idempotency_key,
    source: row.source,
    contactId: row.contact_id,
    clickId: row.click_id,
    linkId: row.link_id,
    campaignId: row.campaign_id,
    discountCodeId: row.discount_code_id,
    value:
      row.amount === null || row.currency === null ? null : { amount: row.amount, currency: row.currency },
    reentry: row.reentry === 1,
    properties: parseJson<Record<string, unknown>>(row.properties),
  };
}

/**
 * Records an event once per idempotency key: a second delivery with the same key records nothing
 * and returns the original, with `created: false`.
 */
export async function insertEvent(
  db: Db,
  event: NewEvent,
): Promise<{ event: EventRecord; created: boolean }> {
  const inserted = await db
    .insertInto('events')
    .values({
      type: event.type,
      occurred_at: event.occurredAt,
      received_at: event.receivedAt,
      idempotency_key: event.idempotencyKey,
      source: event.source,
      contact_id: event.contactId,
      click_id: event.clickId,
      link_id: event.linkId,
      campaign_id: event.campaignId,
      discount_code_id: event.discountCodeId,
      amount: event.value?.amount ?? null,
      currency: event.value?.currency ?? null,
      reentry: event.reentry ? 1 : 0,
      properties: toJson(event.properties),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { event: toRecord(inserted), created: true };
  const original = await getEventByKey(db, event.idempotencyKey);
  if (!original) throw new Error(`event ${event.idempotencyKey} vanished between insert and read`);
  return { event: original, created: false };
}

/** The events recorded under these idempotency keys (those that exist). */
export async function eventsByKeys(db: Db, keys: readonly string[]): Promise<EventRecord[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('idempotency_key', 'in', [...keys])
    .execute();
  return rows.map(toRecord);
}

export async function getEventByKey(db: Db, idempotencyKey: string): Promise<EventRecord | undefined> {
  const row = await db
    .selectFrom('events')
    .selectAll()
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  return row && toRecord(row);
}

/** Whether the contact already started a chat with the campaign before (a re-entry is not a new chat). */
/**
 * The contacts of the events that came from these clicks, newest event first (a click's chat, or
 * a later event that named the click).
 */
export async function contactsOfClicks(
  db: Db,
  clickIds: readonly number[],
): Promise<{ clickId: number; contactId: number }[]> {
  if (clickIds.length === 0) return [];
  const rows = await db
    .selectFrom('events')
    .select(['click_id', 'contact_id'])
    .where('click_id', 'in', clickIds)
    .where('contact_id', 'is not', null)
    .orderBy('id', 'desc')
    .execute();
  return rows.flatMap((r) =>
    r.contact_id === null ? [] : [{ clickId: Number(r.click_id), contactId: r.contact_id }],
  );
}

/** A contact's chat start, as attribution reads it. */
export interface ChatStartRow {
  contactId: number;
  campaignId: number | null;
  linkId: number | null;
  clickId: number | null;
  at: number;
  reentry: boolean;
}

/** Every chat start of these contacts. */
export async function chatStartsOf(db: Db, contactIds: readonly number[]): Promise<ChatStartRow[]> {
  if (contactIds.length === 0) return [];
  const rows = await db
    .selectFrom('events')
    .select(['contact_id', 'campaign_id', 'link_id', 'click_id', 'occurred_at', 'reentry'])
    .where('type', '=', 'chat_started')
    .where('contact_id', 'in', contactIds)
    .execute();
  return rows.flatMap((r) =>
    r.contact_id === null
      ? []
      : [
          {
            contactId: r.contact_id,
            campaignId: r.campaign_id,
            linkId: r.link_id,
            clickId: r.click_id === null ? null : Number(r.click_id),
            at: r.occurred_at,
            reentry: r.reentry === 1,
          },
        ],
  );
}

export async function hasChatStarted(db: Db, contactId: number, campaignId: number | null): Promise<boolean> {
  let query = db
    .selectFrom('events')
    .select('id')
    .where('contact_id', '=', contactId)
    .where('type', '=', 'chat_started')
    .where('reentry', '=', 0);
  query =
    campaignId === null
      ? query.where('campaign_id', 'is', null)
      : query.where('campaign_id', '=', campaignId);
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}

export async function listEvents(
  db: Db,
  filter: { contactId?: number; campaignId?: number; types?: readonly string[]; from?: number; to?: number },
): Promise<EventRecord[]> {
  let query = db.selectFrom('events').selectAll().orderBy('occurred_at').orderBy('id');
  if (filter.contactId !== undefined) query = query.where('contact_id', '=', filter.contactId);
  if (filter.campaignId !== undefined) query = query.where('campaign_id', '=', filter.campaignId);
  if (filter.types && filter.types.length > 0) query = query.where('type', 'in', [...filter.types]);
  if (filter.from !== undefined) query = query.where('occurred_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('occurred_at', '<', filter.to);
  return (await query.execute()).map(toRecord);
}
