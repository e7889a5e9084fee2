import type { Db } from './db.js';
import type { ApiKeyTable } from './schema.js';
import { ROLES, type Role } from '../domain/roles.js';

export { ROLES, type Role };

export interface ApiKeyRecord {
  id: number;
  name: string;
  role: Role;
  prefix: string;
  hash: string;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

function toRecord(row: Omit<ApiKeyTable, 'id'> & { id: number }): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    prefix: row.prefix,
    hash: row.hash,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

export async function insertApiKey(
  db: Db,
  key: { name: string; role: Role; prefix: string; hash: string; createdAt: number },
): Promise<ApiKeyRecord> {
  const row = await db
    .insertInto('api_keys')
    .values({ name: key.name, role: key.role, prefix: key.prefix, hash: key.hash, created_at: key.createdAt })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

export async function findApiKeyByPrefix(db: Db, prefix: string): Promise<ApiKeyRecord | undefined> {
  const row = await db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst();
  return row && toRecord(row);
}

export async function listApiKeys(db: Db): Promise<ApiKeyRecord[]> {
  const rows = await db.selectFrom('api_keys').selectAll().orderBy('id').execute();
  return rows.map(toRecord);
}

/** The key with this id or prefix, revoked or not. */
export async function findApiKey(db: Db, idOrPrefix: number | string): Promise<ApiKeyRecord | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .selectAll()
    .where(typeof idOrPrefix === 'number' ? 'id' : 'prefix', '=', idOrPrefix)
    .executeTakeFirst();
  return row && toRecord(row);
}

export async function countActiveAdminKeys(db: Db): Promise<number> {
  const row = await db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Makes the key an active admin again (`CHATMARK_API_KEY` after a revoke or a demotion). */
export async function restoreAdminKey(db: Db, id: number): Promise<void> {
  await db.updateTable('api_keys').set({ role: 'admin', revoked_at: null }).where('id', '=', id).execute();
}

export async function countActiveApiKeys(db: Db): Promise<number> {
  const row = await db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Revokes by id or prefix; returns the key as it is now, or undefined when there is none. */
export async function revokeApiKey(
  db: Db,
  idOrPrefix: number | string,
  at: number,
): Promise<ApiKeyRecord | undefined> {
  const row = await db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where(typeof idOrPrefix === 'number' ? 'id' : 'prefix', '=', idOrPrefix)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row && toRecord(row);
}

export async function touchApiKey(db: Db, id: number, at: number): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
}
