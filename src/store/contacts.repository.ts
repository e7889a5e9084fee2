import type { Db } from './db.js';

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

/**
 * The contact these identities belong to, created when none of them is known yet; every
 * identity is then attached to it. When identities point at two different contacts the first
 * known one wins and the others keep theirs (merging contacts is a later step).
 */
export async function resolveContact(db: Db, identities: readonly Identity[], now: number): Promise<number> {
  let contactId: number | undefined;
  for (const identity of identities) {
    contactId = await findContactId(db, identity);
    if (contactId !== undefined) break;
  }
  if (contactId === undefined) {
    const row = await db
      .insertInto('contacts')
      .values({ created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    contactId = row.id;
  }
  for (const identity of identities) {
    await db
      .insertInto('identities')
      .values({ contact_id: contactId, kind: identity.kind, value: identity.value, created_at: now })
      .onConflict((oc) => oc.columns(['kind', 'value']).doNothing())
      .execute();
  }
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
