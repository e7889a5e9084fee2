import { createHmac } from 'node:crypto';
import { ChatmarkError } from '../domain/errors.js';
import { parsePhone } from '../domain/phone.js';
import type { Identity } from '../store/contacts.repository.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The two keys of the identity hashes: the secret from outside the database, and the store's own. */
export interface IdentityKeys {
  /** CHATMARK_SECRET_KEY or DATA_DIR/secret.key: never in the database (services/secret-key.ts). */
  readonly secret: string;
  /** The `identity_key` setting, made on the store's first start. */
  readonly storeKey: string;
}

/**
 * The stored form of an identity: HMAC(secret, HMAC(storeKey, kind:value)).
 *
 * Why two keys: before the secret existed, stored values were HMAC(storeKey, kind:value), with the
 * key in the same database, so a copy of the database was enough to test every phone number. Those
 * values can be re-keyed without knowing the numbers (the outer HMAC over the stored value, see
 * identity-key.ts), and new ones are hashed the same way, so old and new contacts keep matching.
 * The store key alone is now useless, and the secret alone is too.
 */
export function hashIdentity(keys: IdentityKeys, kind: string, value: string): string {
  return rekeyIdentityHash(
    keys.secret,
    createHmac('sha256', keys.storeKey).update(`${kind}:${value}`).digest('base64url'),
  );
}

/** A value hashed with the store key alone (the stored form before the secret), hashed with the secret. */
export function rekeyIdentityHash(secret: string, storeHash: string): string {
  return createHmac('sha256', secret).update(storeHash).digest('base64url');
}

/**
 * Turns what a caller knows about a person into identities. Email addresses and phone numbers
 * are never stored in clear: they become keyed hashes (`hashIdentity`), so equal inputs match and
 * the stored values can't be reversed by trying every phone number without the secret key.
 *
 * @example identities({ email: 'Ana@Example.com' }) // [{ kind: 'email', value: '<hmac>' }]
 */
export function createIdentityHasher(keys: IdentityKeys) {
  const hash = (kind: string, value: string) => hashIdentity(keys, kind, value);
  return {
    email(email: string, field = 'contact.email'): Identity {
      const normalized = email.trim().toLowerCase();
      if (!EMAIL.test(normalized))
        throw new ChatmarkError('invalid_email', `"${email}" is not an email address`, field);
      return { kind: 'email', value: hash('email', normalized) };
    },
    phone(phone: string, field = 'contact.phone', country?: string): Identity {
      return { kind: 'phone', value: hash('phone', parsePhone(phone, country, field).e164) };
    },
    /** A phone number already in digits-only E.164 (WhatsApp's `from`). */
    phoneDigits(digits: string): Identity {
      return { kind: 'phone', value: hash('phone', `+${digits}`) };
    },
    contact(contact: {
      externalId?: string | undefined;
      email?: string | undefined;
      phone?: string | undefined;
    }): Identity[] {
      const out: Identity[] = [];
      if (contact.externalId) out.push({ kind: 'external', value: contact.externalId });
      if (contact.email) out.push(this.email(contact.email));
      if (contact.phone) out.push(this.phone(contact.phone));
      return out;
    },
  };
}

export type IdentityHasher = ReturnType<typeof createIdentityHasher>;
