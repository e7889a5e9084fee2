import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ChatmarkError } from '../domain/errors.js';
import { rekeyHashedIdentities } from '../store/identity-hashes.repository.js';
import type { Database } from '../store/schema.js';
import {
  getOrCreateSetting,
  getSetting,
  IDENTITY_KEY_SETTING,
  IDENTITY_SECRET_CHECK_SETTING,
  insertSettingIfAbsent,
} from '../store/settings.repository.js';
import {
  createIdentityHasher,
  type IdentityHasher,
  type IdentityKeys,
  rekeyIdentityHash,
} from './identity.js';
import { createSecretKeyFile, readSecretKeyFile, type SecretKeySource } from './secret-key.js';

/** What is stored of the secret: an HMAC of a constant under it, to recognise the key again. */
function checkOf(secret: string): string {
  return createHmac('sha256', secret).update('chatmark identity secret check').digest('base64url');
}

/**
 * The identity keys of this store, and its upgrade. Stored identity hashes were once
 * HMAC(storeKey, x), with the key in the same database; the first start with a secret key re-keys
 * them, without knowing x, to HMAC(secret, HMAC(storeKey, x)), which is how every identity is
 * hashed from then on (identity.ts). It happens in one transaction with the check value of the
 * secret: every value re-keyed exactly once, even with several servers starting together (the
 * second one waits on the check row, then finds it). Later starts compare the secret with the
 * check value and refuse another secret, which would otherwise leave every contact unmatched.
 *
 * The ref-token key stays in the database: ref tokens are public by design (they travel in chat
 * messages and URLs) and only hide the click number, which a copy of the database holds anyway.
 */
export async function openIdentityKeys(db: Kysely<Database>, source: SecretKeySource): Promise<IdentityKeys> {
  const storeKey = await getOrCreateSetting(db, IDENTITY_KEY_SETTING, () =>
    randomBytes(32).toString('base64url'),
  );
  const check = await getSetting(db, IDENTITY_SECRET_CHECK_SETTING);
  const secret = source.kind === 'configured' ? source.key : secretFromFile(source.path, check !== undefined);
  await db.transaction().execute(async (trx) => {
    if (await insertSettingIfAbsent(trx, IDENTITY_SECRET_CHECK_SETTING, checkOf(secret))) {
      await rekeyHashedIdentities(trx, (value) => rekeyIdentityHash(secret, value));
      return;
    }
    if ((await getSetting(trx, IDENTITY_SECRET_CHECK_SETTING)) !== checkOf(secret)) {
      throw new ChatmarkError(
        'invalid_config',
        `${source.kind === 'configured' ? 'CHATMARK_SECRET_KEY' : source.path} is not the secret key this database's contacts were hashed with; start with the key used before`,
        'CHATMARK_SECRET_KEY',
      );
    }
  });
  return { secret, storeKey };
}

/** `openIdentityKeys`, as the hasher the services use. */
export async function openIdentityHasher(
  db: Kysely<Database>,
  source: SecretKeySource,
): Promise<IdentityHasher> {
  return createIdentityHasher(await openIdentityKeys(db, source));
}

/** The key file's key; made on the first start only, never in place of one the store was keyed with. */
function secretFromFile(path: string, storeIsKeyed: boolean): string {
  const key = readSecretKeyFile(path);
  if (key !== undefined) return key;
  if (storeIsKeyed) {
    throw new ChatmarkError(
      'invalid_config',
      `${path} is missing, and this database's contacts are hashed with the key it held; restore the file from a backup, or set CHATMARK_SECRET_KEY to its content`,
      'CHATMARK_SECRET_KEY',
    );
  }
  return createSecretKeyFile(path);
}
