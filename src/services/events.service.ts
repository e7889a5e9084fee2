import { ChatmarkError, isChatmarkError } from '../domain/errors.js';
import { checkEventTime, checkMoney, checkNoPersonalData, checkProperties } from '../domain/event-rules.js';
import { normalizeRefToken, type RefCodec } from '../domain/ref-token.js';
import { clickOrigins } from '../store/clicks.repository.js';
import {
  attachIdentity,
  contactsOfIdentities,
  type Identity,
  identityLockKey,
  insertContact,
} from '../store/contacts.repository.js';
import type { Db } from '../store/db.js';
import type { StoreDb } from '../store/dialect.js';
import {
  type DiscountCode,
  getDiscountCode,
  normalizeDiscountCode,
  redeemDiscountCode,
  unredeemDiscountCode,
} from '../store/discount-codes.repository.js';
import {
  type ChatStartRow,
  chatStartsOf,
  contactsOfClicks,
  type EventRecord,
  eventsByKeys,
  getEventByKey,
  insertEvent,
} from '../store/events.repository.js';
import { campaignIdOfLink } from '../store/links.repository.js';
import { KEY_LOCK_BUDGET, lockKeys, needsKeyLocks } from '../store/locks.js';
import { transactionWithRetry } from '../store/retry.js';
import { refreshEventTouches } from '../store/touches.repository.js';
import type { IdentityHasher } from './identity.js';

/** The standard event types; any other lower-case name is a custom event. */
export const EVENT_TYPES = ['chat_started', 'qualified', 'lead', 'booking', 'purchase', 'refund'] as const;

/** An event with no click or code of its own belongs to the contact's last chat this recent. */
const STITCH_WINDOW_MS = 30 * 86_400_000;
const CHUNK = 500;

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

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** The click number of a click id or ref token as given (undefined when it is not one). */
function clickNumberOf(given: string | undefined, codec: RefCodec): number | undefined {
  if (given === undefined) return undefined;
  const token = normalizeRefToken(given);
  return token === undefined ? undefined : codec.decode(token);
}

type ChatRow = ChatStartRow;

/**
 * What a batch needs from the store, read in a few bulk queries up front and kept up to date as
 * the batch records: events already there by key, clicks and their links, the contacts that
 * identities and clicks lead to, and those contacts' chats (for re-entries and stitching).
 */
class BatchContext {
  readonly existing = new Map<string, EventRecord>();
  readonly clicks = new Map<number, { linkId: number; campaignId: number | null; at: number }>();
  /** `click:contact` pairs: a contact's clicks are its touches (store/touches.repository.ts). */
  readonly clickContacts = new Set<string>();
  /** Per contact, the time of the earliest touch this batch gave it: its later events are re-attributed. */
  readonly newTouches = new Map<number, number>();
  readonly links = new Map<number, number | null>();
  readonly contactOfClick = new Map<number, number>();
  readonly contactOfIdentity = new Map<string, number>();
  readonly chats = new Map<number, ChatRow[]>();
  private readonly loadedContacts = new Set<number>();

  constructor(
    private readonly db: Db,
    private readonly codec: RefCodec,
  ) {}

  static identityKey(identity: Identity): string {
    return `${identity.kind}\u0000${identity.value}`;
  }

  clickNumber(given: string | undefined): number | undefined {
    return clickNumberOf(given, this.codec);
  }

  /**
   * What the item decides on, locked before it is read (store/locks.ts: one sorted order for every
   * writer, so batches about the same person take turns and cannot deadlock): its key, its
   * identities, its click (whose chat's contact it may join) and its discount code.
   */
  static lockKeysOf(input: EventInput & { identityList: Identity[] }, codec: RefCodec): string[] {
    const click = clickNumberOf(input.clickId ?? input.ref, codec);
    return [
      `event:${input.idempotencyKey}`,
      ...input.identityList.map(identityLockKey),
      ...(click === undefined ? [] : [`click:${click}`]),
      ...(input.discountCode === undefined ? [] : [`code:${normalizeDiscountCode(input.discountCode)}`]),
    ];
  }

  private async readExisting(keys: readonly string[]): Promise<void> {
    for (const chunk of chunks(keys)) {
      for (const event of await eventsByKeys(this.db, chunk)) this.existing.set(event.idempotencyKey, event);
    }
  }

  async load(inputs: readonly (EventInput & { identityList: Identity[] })[]): Promise<void> {
    const db = this.db;
    await this.readExisting(inputs.map((i) => i.idempotencyKey));
    // A redelivery of events all recorded already has nothing to decide: it answers without
    // queueing for the locks behind the other copies of itself.
    const fresh = inputs.filter((i) => !this.existing.has(i.idempotencyKey));
    if (fresh.length === 0) return;
    await lockKeys(
      db,
      inputs.flatMap((input) => BatchContext.lockKeysOf(input, this.codec)),
    );
    // Recorded meanwhile by the writer whose lock we waited for.
    await this.readExisting(fresh.map((i) => i.idempotencyKey));
    const numbers = [...new Set(inputs.flatMap((i) => this.clickNumber(i.clickId ?? i.ref) ?? []))];
    for (const ids of chunks(numbers)) {
      for (const click of await clickOrigins(db, ids)) {
        this.clicks.set(click.id, { linkId: click.linkId, campaignId: click.campaignId, at: click.at });
        this.links.set(click.linkId, click.campaignId);
      }
      for (const { clickId, contactId } of await contactsOfClicks(db, ids)) {
        this.contactOfClick.set(clickId, contactId);
        this.clickContacts.add(`${clickId}:${contactId}`);
      }
    }
    const byKind = new Map<string, Set<string>>();
    for (const input of inputs) {
      for (const identity of input.identityList) {
        const values = byKind.get(identity.kind) ?? new Set();
        values.add(identity.value);
        byKind.set(identity.kind, values);
      }
    }
    for (const [kind, values] of byKind) {
      for (const chunk of chunks([...values])) {
        for (const { value, contactId } of await contactsOfIdentities(db, kind, chunk))
          this.contactOfIdentity.set(BatchContext.identityKey({ kind, value }), contactId);
      }
    }
    await this.loadChats([...this.contactOfIdentity.values(), ...this.contactOfClick.values()]);
  }

  /** The chats of these contacts (once per contact). */
  async loadChats(contactIds: readonly number[]): Promise<void> {
    const fresh = [...new Set(contactIds)].filter((id) => !this.loadedContacts.has(id));
    for (const id of fresh) this.loadedContacts.add(id);
    for (const chunk of chunks(fresh)) {
      for (const chat of await chatStartsOf(this.db, chunk)) this.addChat(chat);
    }
  }

  /** A touch of the contact at `at`, new with this batch. */
  touched(contactId: number, at: number): void {
    this.newTouches.set(contactId, Math.min(at, this.newTouches.get(contactId) ?? at));
  }

  addChat(chat: ChatRow): void {
    if (chat.clickId !== null) this.clickContacts.add(`${chat.clickId}:${chat.contactId}`);
    const list = this.chats.get(chat.contactId) ?? [];
    list.push(chat);
    this.chats.set(chat.contactId, list);
  }

  async campaignOfLink(linkId: number): Promise<number | null> {
    if (!this.links.has(linkId)) this.links.set(linkId, (await campaignIdOfLink(this.db, linkId)) ?? null);
    return this.links.get(linkId) ?? null;
  }

  /**
   * The contact of these identities; when none is known yet, the `fallback` contact (the one whose
   * chat the event's click started), else a new one. New identities are attached to it.
   */
  async resolveContact(identities: readonly Identity[], now: number, fallback?: number): Promise<number> {
    let contactId: number | undefined;
    for (const identity of identities) {
      contactId = this.contactOfIdentity.get(BatchContext.identityKey(identity));
      if (contactId !== undefined) break;
    }
    contactId ??= fallback;
    const fresh = identities.filter(
      (identity) => !this.contactOfIdentity.has(BatchContext.identityKey(identity)),
    );
    if (contactId === undefined) {
      // A new person: the contact and all its identities are written together (see insertContact).
      contactId = await insertContact(this.db, fresh, now);
      this.loadedContacts.add(contactId);
      for (const identity of fresh) this.contactOfIdentity.set(BatchContext.identityKey(identity), contactId);
      return contactId;
    }
    for (const identity of fresh) {
      const owner = await attachIdentity(this.db, contactId, identity, now);
      this.contactOfIdentity.set(BatchContext.identityKey(identity), owner);
    }
    return contactId;
  }
}

function checkDiscountCode(code: DiscountCode | undefined, input: EventInput): DiscountCode {
  if (!code) {
    throw new ChatmarkError(
      'unknown_discount_code',
      `No discount code "${input.discountCode}"`,
      'discountCode',
    );
  }
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

/**
 * Records one event of a batch: resolves its click → link → campaign (click id or ref token, else
 * the discount code), stitches the contact (identities; or the contact whose chat the click
 * started), takes the campaign of the contact's last chat when the event has none of its own,
 * marks repeated chat starts as re-entries, and redeems a discount code on a purchase. Everything
 * that can refuse the event is checked before anything is written.
 */
async function recordOne(
  db: Db,
  batch: BatchContext,
  input: EventInput & { identityList: Identity[] },
  now: number,
): Promise<RecordedEvent> {
  const existing = batch.existing.get(input.idempotencyKey);
  if (existing) return { event: existing, created: false };

  let clickId: number | null = null;
  let linkId: number | null = null;
  let campaignId: number | null = null;
  const given = input.clickId ?? input.ref;
  if (given !== undefined) {
    const number = batch.clickNumber(given);
    const click = number === undefined ? undefined : batch.clicks.get(number);
    if (number === undefined || !click) {
      const field = input.clickId !== undefined ? 'clickId' : 'ref';
      throw new ChatmarkError(
        'unknown_click',
        `"${given}" is not the id of a click Chatmark recorded`,
        field,
      );
    }
    clickId = number;
    linkId = click.linkId;
    campaignId = click.campaignId;
  }
  const code =
    input.discountCode === undefined
      ? null
      : checkDiscountCode(await getDiscountCode(db, input.discountCode), input);
  if (code) {
    linkId ??= code.linkId;
    campaignId ??= code.campaignId ?? (code.linkId === null ? null : await batch.campaignOfLink(code.linkId));
  }
  const redeem = code !== null && input.type === 'purchase';
  if (redeem && !(await redeemDiscountCode(db, code.id))) {
    // A retry of the purchase that used the code is a duplicate, not a second use (idempotency
    // wins): its event may have been recorded since the batch read the keys.
    const recorded = await getEventByKey(db, input.idempotencyKey);
    if (recorded) {
      batch.existing.set(input.idempotencyKey, recorded);
      return { event: recorded, created: false };
    }
    throw new ChatmarkError(
      'discount_code_used',
      `The single-use code "${code.code}" was redeemed already`,
      'discountCode',
    );
  }

  // Identities the event brings (a CRM id, an email) join the contact whose chat its click
  // started, when they aren't someone's already: that is how a chat and a customer record meet.
  const contactOfClick = clickId === null ? undefined : batch.contactOfClick.get(clickId);
  const contactId: number | null =
    input.identityList.length > 0
      ? await batch.resolveContact(input.identityList, now, contactOfClick)
      : (contactOfClick ?? null);
  if (contactId !== null) await batch.loadChats([contactId]);
  const chats = contactId === null ? [] : (batch.chats.get(contactId) ?? []);

  let stitched: ChatRow | undefined;
  if (campaignId === null && linkId === null && input.type !== 'chat_started') {
    for (const chat of chats) {
      if (chat.at > input.occurredAt || chat.at < input.occurredAt - STITCH_WINDOW_MS) continue;
      if (!stitched || chat.at > stitched.at) stitched = chat;
    }
  }
  const reentry =
    input.type === 'chat_started' &&
    contactId !== null &&
    chats.some((chat) => !chat.reentry && chat.campaignId === campaignId);

  const recorded = await insertEvent(db, {
    type: input.type,
    occurredAt: input.occurredAt,
    receivedAt: now,
    idempotencyKey: input.idempotencyKey,
    source: input.source,
    contactId,
    clickId: clickId ?? stitched?.clickId ?? null,
    linkId: linkId ?? stitched?.linkId ?? null,
    campaignId: campaignId ?? stitched?.campaignId ?? null,
    discountCodeId: code?.id ?? null,
    value: input.value ?? null,
    reentry,
    properties: input.properties ?? null,
  });
  // Another process recorded the same key meanwhile (PostgreSQL): that one redeemed the code.
  if (!recorded.created && redeem) await unredeemDiscountCode(db, code.id);
  batch.existing.set(input.idempotencyKey, recorded.event);
  // A click new to the contact is a new touch of it from the click's time (an unknown time, for a
  // stitched click not read with the batch: every event of the contact is re-attributed).
  const storedClick = recorded.event.clickId;
  if (recorded.created && storedClick !== null && contactId !== null) {
    const pair = `${storedClick}:${contactId}`;
    if (!batch.clickContacts.has(pair)) {
      batch.clickContacts.add(pair);
      batch.touched(contactId, batch.clicks.get(storedClick)?.at ?? 0);
    }
  }
  if (recorded.created && input.type === 'chat_started' && contactId !== null) {
    batch.addChat({ contactId, campaignId, linkId, clickId, at: input.occurredAt, reentry });
    batch.touched(contactId, input.occurredAt);
  }
  if (recorded.created && clickId !== null && contactId !== null && !batch.contactOfClick.has(clickId)) {
    batch.contactOfClick.set(clickId, contactId);
  }
  return recorded;
}

/**
 * The input rules every event meets, whatever sent it (domain/event-rules.ts): a time between 2000
 * and a day ahead, a real currency, negative money only on a refund, bounded `properties`, and
 * no email address or phone number stored in clear. A refused item is refused alone.
 */
function checkPlausible(input: EventInput, now: number): void {
  checkEventTime(input.occurredAt, now);
  if (input.value) checkMoney(input.value, input.type);
  checkNoPersonalData(input.idempotencyKey, 'idempotencyKey');
  if (input.properties) checkProperties(input.properties);
}

/**
 * Records a batch of events in one transaction (on PostgreSQL, one per run of items that fits the
 * lock budget, in order), each once per idempotency key. Every item gets its own result: the
 * recorded event (new, or the original on a retry) or the ChatmarkError that refused it; refused
 * items write nothing and the valid ones are kept.
 */
export async function recordEvents(
  deps: EventDeps,
  inputs: readonly EventInput[],
  now: number,
): Promise<(RecordedEvent | ChatmarkError)[]> {
  const prepared: ((EventInput & { identityList: Identity[] }) | ChatmarkError)[] = inputs.map((input) => {
    try {
      checkPlausible(input, now);
      return {
        ...input,
        identityList: [
          ...(input.identities ?? []),
          ...(input.contact ? deps.identities.contact(input.contact) : []),
        ],
      };
    } catch (error) {
      if (isChatmarkError(error)) return error;
      throw error;
    }
  });
  const results: (RecordedEvent | ChatmarkError)[] = [];
  const parts = needsKeyLocks(deps.store.db) ? partByLocks(prepared, deps.codec) : [prepared];
  for (const part of parts) results.push(...(await recordPart(deps, part, now)));
  return results;
}

/**
 * Consecutive runs of items, each with no more keys to lock than the lock table allows a
 * transaction (store/locks.ts): a big batch is written as several transactions in its order.
 */
function partByLocks<T extends (EventInput & { identityList: Identity[] }) | ChatmarkError>(
  items: readonly T[],
  codec: RefCodec,
): T[][] {
  const parts: T[][] = [];
  let part: T[] = [];
  let keys = new Set<string>();
  for (const item of items) {
    const own = isChatmarkError(item) ? [] : BatchContext.lockKeysOf(item, codec);
    if (part.length > 0 && keys.size + own.filter((k) => !keys.has(k)).length > KEY_LOCK_BUDGET) {
      parts.push(part);
      part = [];
      keys = new Set();
    }
    part.push(item);
    for (const key of own) keys.add(key);
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

/** Records a run of a batch's items in one transaction. */
function recordPart(
  deps: EventDeps,
  prepared: readonly ((EventInput & { identityList: Identity[] }) | ChatmarkError)[],
  now: number,
): Promise<(RecordedEvent | ChatmarkError)[]> {
  // A batch that loses a race (a deadlock with a writer that does not lock in our order, an
  // identity taken meanwhile) is run again from the start and then reads the winner's rows.
  return transactionWithRetry(deps.store.db, async (trx) => {
    const batch = new BatchContext(trx, deps.codec);
    const valid = prepared.filter((p): p is EventInput & { identityList: Identity[] } => !isChatmarkError(p));
    await batch.load(valid);
    const results: (RecordedEvent | ChatmarkError)[] = [];
    for (const item of prepared) {
      if (isChatmarkError(item)) {
        results.push(item);
        continue;
      }
      try {
        results.push(await recordOne(trx, batch, item, now));
      } catch (error) {
        if (!isChatmarkError(error)) throw error;
        results.push(error);
      }
    }
    // New events change what their contacts' conversions can be credited to (and are conversions).
    const created = results.flatMap((r) => (isChatmarkError(r) || !r.created ? [] : [r.event]));
    await refreshEventTouches(trx, { eventIds: created.map((e) => e.id), since: batch.newTouches });
    return results;
  });
}

/** Records one event (a batch of one); throws the ChatmarkError that refuses it. */
export async function recordEvent(deps: EventDeps, input: EventInput, now: number): Promise<RecordedEvent> {
  const [result] = await recordEvents(deps, [input], now);
  if (!result) throw new Error('recordEvents returned no result');
  if (isChatmarkError(result)) throw result;
  return result;
}
