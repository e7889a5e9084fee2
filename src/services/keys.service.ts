import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ChatmarkError } from '../domain/errors.js';
import type { Kysely } from 'kysely';
import {
  type ApiKeyRecord,
  countActiveAdminKeys,
  countActiveApiKeys,
  findApiKey,
  findApiKeyByPrefix,
  insertApiKey,
  listApiKeys,
  ROLES,
  type Role,
  restoreAdminKey,
  revokeApiKey,
  touchApiKey,
} from '../store/api-keys.repository.js';
import { type Db, isUniqueViolation } from '../store/db.js';
import { retryConflicts } from '../store/retry.js';
import type { Database } from '../store/schema.js';

export { ROLES, type Role };

/** Rank of each role: a key may do what its role and every lower role may do. */
const RANK: Readonly<Record<Role, number>> = { viewer: 0, editor: 1, admin: 2 };

export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

const PREFIX_LENGTH = 11; // `cm_` + 8 characters

/** A key as shown to people: never the secret, never the hash. */
export interface ApiKeyView {
  id: number;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export function viewKey(key: ApiKeyRecord): ApiKeyView {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    prefix: key.prefix,
    createdAt: new Date(key.createdAt).toISOString(),
    revokedAt: iso(key.revokedAt),
    lastUsedAt: iso(key.lastUsedAt),
  };
}

function hashKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** `cm_` + 40 base62-ish characters; the first 11 characters are the lookup prefix. */
function newSecret(): string {
  return `cm_${randomBytes(30).toString('base64url').replace(/[-_]/g, 'x')}`;
}

/** Creates a key and returns its secret: the only time the secret exists outside its owner. */
export async function createApiKey(
  db: Db,
  input: { name: string; role: Role; secret?: string | undefined },
  now: number,
): Promise<{ key: ApiKeyView; secret: string }> {
  if (!ROLES.includes(input.role)) {
    throw new ChatmarkError('invalid_role', `Role must be one of ${ROLES.join(', ')}`, 'role');
  }
  for (let attempt = 0; ; attempt += 1) {
    const secret = input.secret ?? newSecret();
    try {
      const record = await insertApiKey(db, {
        name: input.name,
        role: input.role,
        prefix: secret.slice(0, PREFIX_LENGTH),
        hash: hashKey(secret),
        createdAt: now,
      });
      return { key: viewKey(record), secret };
    } catch (error) {
      if (input.secret === undefined && isUniqueViolation(error) && attempt < 3) continue;
      if (isUniqueViolation(error))
        throw new ChatmarkError('conflict', 'A key with this prefix exists already', 'key');
      throw error;
    }
  }
}

/**
 * Start: `CHATMARK_API_KEY`, when set, is an active admin key afterwards, whatever happened to it
 * (created when missing; made admin and active again after a revoke or a demotion), so the
 * operator can always get back in. Without it, a store with no active key gets a generated admin
 * key whose secret is returned for the caller to print once.
 */
export async function ensureAdminKey(
  db: Db,
  configured: string | undefined,
  now: number,
): Promise<{ created: 'configured' | 'restored' | 'generated' | null; secret: string | null }> {
  if (configured) {
    const existing = await findApiKeyByPrefix(db, configured.slice(0, PREFIX_LENGTH));
    if (existing && existing.hash !== hashKey(configured)) {
      throw new ChatmarkError(
        'invalid_config',
        `CHATMARK_API_KEY starts with the same ${PREFIX_LENGTH} characters as another key (id ${existing.id}); choose a key with another beginning`,
        'CHATMARK_API_KEY',
      );
    }
    if (existing) {
      if (existing.role === 'admin' && existing.revokedAt === null) return { created: null, secret: null };
      await restoreAdminKey(db, existing.id);
      return { created: 'restored', secret: null };
    }
    try {
      await createApiKey(db, { name: 'admin (CHATMARK_API_KEY)', role: 'admin', secret: configured }, now);
    } catch (error) {
      // Another server starting on the same store registered it a moment ago: check it again.
      if (error instanceof ChatmarkError && error.code === 'conflict')
        return ensureAdminKey(db, configured, now);
      throw error;
    }
    return { created: 'configured', secret: null };
  }
  if ((await countActiveApiKeys(db)) > 0) return { created: null, secret: null };
  const { secret } = await createApiKey(db, { name: 'admin (first start)', role: 'admin' }, now);
  return { created: 'generated', secret };
}

/** The key behind a bearer secret, or undefined for an unknown, wrong or revoked one. */
export async function authenticate(db: Db, secret: string): Promise<ApiKeyRecord | undefined> {
  if (secret.length < PREFIX_LENGTH) return undefined;
  const key = await findApiKeyByPrefix(db, secret.slice(0, PREFIX_LENGTH));
  if (!key || key.revokedAt !== null) return undefined;
  const given = Buffer.from(hashKey(secret), 'hex');
  const stored = Buffer.from(key.hash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored) ? key : undefined;
}

export async function listKeys(db: Db): Promise<ApiKeyView[]> {
  return (await listApiKeys(db)).map(viewKey);
}

/**
 * Revokes a key, unless it is the last active admin key: nobody could manage keys after that
 * (409 `last_admin_key`). Two admins revoking each other's keys at once must not both win, so the
 * check and the revoke run in a serializable transaction (PostgreSQL aborts one of them, which is
 * then retried and refused; SQLite's `BEGIN IMMEDIATE` runs them one after the other).
 */
export async function revokeKey(
  db: Kysely<Database>,
  idOrPrefix: number | string,
  now: number,
): Promise<ApiKeyView> {
  return retryConflicts(() =>
    db
      .transaction()
      .setIsolationLevel('serializable')
      .execute(async (trx) => {
        const key = await findApiKey(trx, idOrPrefix);
        if (!key || key.revokedAt !== null) {
          throw new ChatmarkError('key_not_found', `No active key ${idOrPrefix}`, 'key');
        }
        if (key.role === 'admin' && (await countActiveAdminKeys(trx)) <= 1) {
          throw new ChatmarkError(
            'last_admin_key',
            'This is the last active admin key; create another admin key before revoking it',
            'key',
          );
        }
        const revoked = await revokeApiKey(trx, key.id, now);
        if (!revoked) throw new ChatmarkError('key_not_found', `No active key ${idOrPrefix}`, 'key');
        return viewKey(revoked);
      }),
  );
}

export { touchApiKey };
