import { createHmac } from 'node:crypto';
import { ChatmarkError } from '../domain/errors.js';
import { parsePhone } from '../domain/phone.js';
import type { Identity } from '../store/contacts.repository.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Turns what a caller knows about a person into identities. Email addresses and phone numbers
 * are never stored in clear: they become HMACs keyed with the server's identity key, so equal
 * inputs match and the stored values can't be reversed by trying every phone number.
 *
 * @example identities({ email: 'Ana@Example.com' }) // [{ kind: 'email', value: '<hmac>' }]
 */
export function createIdentityHasher(key: string) {
  const hash = (kind: string, value: string) =>
    createHmac('sha256', key).update(`${kind}:${value}`).digest('base64url');
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
