import type { Db } from './db.js';

/** The setting that holds the ref-token key (created on first start; tokens decode only with it). */
export const REF_TOKEN_KEY_SETTING = 'ref_token_key';

/**
 * The store's half of the keys of the HMACs that stand for email addresses and phone numbers; the
 * other half, the secret key, is never in the database (services/identity.ts says why both).
 */
export const IDENTITY_KEY_SETTING = 'identity_key';

/**
 * A check value of the secret key the stored identities are hashed with (an HMAC of a constant,
 * which tells nothing about the key): its absence means they are not re-keyed with a secret yet,
 * and a start with another secret is refused instead of silently losing every contact's match.
 */
export const IDENTITY_SECRET_CHECK_SETTING = 'identity_secret_check';

export async function getSetting(db: Db, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst();
  return row?.value;
}

/** Stores the setting unless it exists; true when this call stored it. */
export async function insertSettingIfAbsent(db: Db, name: string, value: string): Promise<boolean> {
  const result = await db
    .insertInto('settings')
    .values({ name, value })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Returns the setting, creating it with `create()` when it does not exist yet. Safe when several
 * servers start at once: the first insert wins and everybody reads that value back.
 */
export async function getOrCreateSetting(db: Db, name: string, create: () => string): Promise<string> {
  await db
    .insertInto('settings')
    .values({ name, value: create() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.value;
}

/** The salt of `day` (YYYY-MM-DD), created on first use; salts of days before `keepFrom` are deleted. */
export async function getDailySalt(
  db: Db,
  day: string,
  keepFrom: string,
  create: () => string,
): Promise<string> {
  await db
    .insertInto('daily_salts')
    .values({ day, salt: create() })
    .onConflict((oc) => oc.column('day').doNothing())
    .execute();
  await db.deleteFrom('daily_salts').where('day', '<', keepFrom).execute();
  const row = await db
    .selectFrom('daily_salts')
    .select('salt')
    .where('day', '=', day)
    .executeTakeFirstOrThrow();
  return row.salt;
}

/**
 * Reserves `size` consecutive values of a named sequence and returns the first. Servers reserve
 * click numbers in blocks so that no click waits for a round trip (DESIGN.md, redirect hot path).
 */
export async function reserveSequenceBlock(db: Db, name: string, size: number): Promise<number> {
  await db
    .insertInto('sequences')
    .values({ name, next_value: 1 })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .updateTable('sequences')
    .set((eb) => ({ next_value: eb('next_value', '+', size) }))
    .where('name', '=', name)
    .returning('next_value')
    .executeTakeFirstOrThrow();
  return row.next_value - size;
}
