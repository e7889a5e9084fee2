import type { Db } from './db.js';
import { lockKeys } from './locks.js';
import { LostRace } from './retry.js';

export interface Identity {
  /** A channel (`whatsapp`, `telegram`, `viber`, `messenger`, `instagram`), `external`, `email` or `phone`. */
  kind: string;
  /** The id as the channel gives it; a keyed hash for `email` and `phone`. */
  value: string;
}

export async function findContactId(db: Db, identity: Identity): Promise<number | undefined> {
  const row = await db
    .selectFrom('identities')
    .select('contact_id')
    .where('kind', '=', identity.kind)
    .where('value', '=', identity.value)
    .executeTakeFirst();
  return row?.contact_id;
}

/** The lock of an identity (store/locks.ts): writers that may attach it take it first. */
/** The contacts of these values of one identity kind (values no contact has are left out). */
export async function contactsOfIdentities(
  db: Db,
  kind: string,
  values: readonly string[],
): Promise<{ value: string; contactId: number }[]> {
  if (values.length === 0) return [];
  const rows = await db
    .selectFrom('identities')
    .select(['value', 'contact_id'])
    .where('kind', '=', kind)
    .where('value', 'in', values)
    .execute();
  return rows.map((r) => ({ value: r.value, contactId: r.contact_id }));
}

export function identityLockKey(identity: Identity): string {
  return `identity:${identity.kind}\u0000${identity.value}`;
}

/**
 * Attaches the identity to the contact unless someone has it already; answers the contact it
 * belongs to now (the given one, or the one that had it).
 */
export async function attachIdentity(
  db: Db,
  contactId: number,
  identity: Identity,
  now: number,
): Promise<number> {
  const inserted = await db
    .insertInto('identities')
    .values({ contact_id: contactId, kind: identity.kind, value: identity.value, created_at: now })
    .onConflict((oc) => oc.columns(['kind', 'value']).doNothing())
    .returning('contact_id')
    .executeTakeFirst();
  if (inserted) return inserted.contact_id;
  const owner = await findContactId(db, identity);
  if (owner === undefined) throw new LostRace(`identity ${identity.kind} vanished while being attached`);
  return owner;
}

/**
 * Inserts a contact for these identities, none of which belongs to anyone. When one of them was
 * taken meanwhile (a writer that did not lock them, see `lockKeys`), throws LostRace so that the
 * whole transaction runs again and finds the winner's contact: no second contact for one person,
 * and no contact left without identities.
 */
export async function insertContact(db: Db, identities: readonly Identity[], now: number): Promise<number> {
  const row = await db
    .insertInto('contacts')
    .values({ created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const identity of identities) {
    if ((await attachIdentity(db, row.id, identity, now)) !== row.id) {
      throw new LostRace(`identity ${identity.kind} was given to another contact meanwhile`);
    }
  }
  return row.id;
}

/**
 * The contact these identities belong to, created when none of them is known yet; every
 * identity is then attached to it. When identities point at two different contacts the first
 * known one wins and the others keep theirs (merging contacts is a later step). Locks the
 * identities first: run it in a transaction (with `transactionWithRetry`), after locking every
 * identity the transaction will resolve when there are several calls (one order for all).
 */
export async function resolveContact(db: Db, identities: readonly Identity[], now: number): Promise<number> {
  await lockKeys(db, identities.map(identityLockKey));
  let contactId: number | undefined;
  for (const identity of identities) {
    contactId = await findContactId(db, identity);
    if (contactId !== undefined) break;
  }
  if (contactId === undefined) return insertContact(db, identities, now);
  for (const identity of identities) await attachIdentity(db, contactId, identity, now);
  return contactId;
}

export async function identitiesOf(db: Db, contactId: number): Promise<Identity[]> {
  return db
    .selectFrom('identities')
    .select(['kind', 'value'])
    .where('contact_id', '=', contactId)
    .orderBy('id')
    .execute();
}
