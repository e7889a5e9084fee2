import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { hashIdentity } from '../../src/services/identity.js';
import { buildServer, type Server } from '../../src/server.js';
import { ADMIN_KEY, SECRET_KEY, startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';

const PHONE = '+447911123456';
const EMAIL = 'ana.lopez@example.com';

/**
 * The key of the identity hashes does not live in the database it protects (issue 10, 1.8): a copy
 * of the database cannot test phone numbers, the same secret keeps contacts matching across
 * restarts, and a store from before the secret keeps its contacts after the upgrade.
 */
describeEachBackend('identity hashes keyed by a secret outside the database', (backend) => {
  let t: TestServer;
  let restarted: Server | undefined;
  beforeEach(async () => {
    t = await startTestServer(backend);
  });
  afterEach(async () => {
    await restarted?.close();
    restarted = undefined;
    await t?.close();
  });

  const db = () => (restarted ?? t.server).store.db;
  const keyFile = () => join(t.env.DATA_DIR as string, 'secret.key');
  /** The secret the server was given: CHATMARK_SECRET_KEY on PostgreSQL, the key file on SQLite. */
  const secret = () => (backend.name === 'postgres' ? SECRET_KEY : readFileSync(keyFile(), 'utf8').trim());
  let n = 0;
  /** Records a lead about a person, through the API of whichever server is running; its contact id. */
  const lead = async (contact: { phone?: string; email?: string; externalId?: string }) => {
    const app = (restarted ?? t.server).app;
    const response = await app.inject({
      method: 'POST',
      url: '/api/events',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        type: 'lead',
        occurredAt: '2026-11-23T12:00:00Z',
        idempotencyKey: `lead-${(n += 1)}`,
        contact,
      }),
    });
    expect(response.statusCode).toBe(201);
    return response.json().event.contactId as number;
  };
  const storedHash = async (kind: string) =>
    (await db().selectFrom('identities').select('value').where('kind', '=', kind).executeTakeFirstOrThrow())
      .value;
  const settings = async () => db().selectFrom('settings').select(['name', 'value']).execute();
  const restart = async (env: Record<string, string> = t.env) => {
    await (restarted ?? t.server).close();
    restarted = undefined;
    restarted = await buildServer(loadConfig(env), { logger: false });
    return restarted;
  };

  it('stores hashes that nothing in a copy of the database reproduces', async () => {
    await lead({ phone: PHONE });
    const stored = await storedHash('phone');
    const rows = await settings();
    const storeKey = rows.find((r) => r.name === 'identity_key')?.value as string;
    // With the secret (from outside the database) the stored value is reproduced...
    expect(hashIdentity({ secret: secret(), storeKey }, 'phone', PHONE)).toBe(stored);
    // ...and with everything the database holds, it is not: every setting and salt as a key, in
    // the form the hashes had before the secret and in plain digests.
    const salts = await db().selectFrom('daily_salts').select('salt').execute();
    const keys = [...rows.map((r) => r.value), ...salts.map((s) => s.salt)];
    const candidates = new Set<string>();
    for (const message of [`phone:${PHONE}`, PHONE, PHONE.slice(1)]) {
      for (const key of keys) {
        for (const encoding of ['base64url', 'hex', 'base64'] as const) {
          candidates.add(createHmac('sha256', key).update(message).digest(encoding));
          candidates.add(
            createHmac('sha256', key)
              .update(createHmac('sha256', key).update(message).digest('base64url'))
              .digest(encoding),
          );
        }
      }
      candidates.add(createHash('sha256').update(message).digest('base64url'));
    }
    expect(candidates.size).toBeGreaterThan(keys.length * 6);
    expect(candidates.has(stored)).toBe(false);
    // The secret itself is nowhere in the database.
    expect(JSON.stringify(rows)).not.toContain(secret());
    if (backend.name === 'sqlite') {
      const file = join(t.env.DATA_DIR as string, 'chatmark.db');
      for (const path of [file, `${file}-wal`]) {
        if (existsSync(path)) expect(readFileSync(path).includes(Buffer.from(secret()))).toBe(false);
      }
    }
  });

  it('keeps contacts across restarts with the same secret, and refuses another secret', async () => {
    const ana = await lead({ phone: PHONE, email: EMAIL });
    const stored = await storedHash('phone');
    await restart();
    expect(await storedHash('phone')).toBe(stored);
    expect(await lead({ phone: '+44 7911 123456' })).toBe(ana);
    expect(await lead({ email: 'Ana.Lopez@Example.com' })).toBe(ana);

    await restarted?.close();
    const other = { ...t.env, CHATMARK_SECRET_KEY: 'another-secret-key-0123456789abcdefghij' };
    await expect(buildServer(loadConfig(other), { logger: false })).rejects.toMatchObject({
      code: 'invalid_config',
      field: 'CHATMARK_SECRET_KEY',
      message: expect.stringContaining('is not the secret key'),
    });
    restarted = undefined;
  });

  it('upgrades a store whose hashes were keyed by the database alone, keeping its contacts', async () => {
    // The state an older version left: identity hashes HMAC(identity_key, kind:value), no secret
    // (no check value, and on SQLite no key file).
    const storeKey = (await settings()).find((r) => r.name === 'identity_key')?.value as string;
    const old = (kind: string, value: string) =>
      createHmac('sha256', storeKey).update(`${kind}:${value}`).digest('base64url');
    const contact = await db()
      .insertInto('contacts')
      .values({ created_at: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('identities')
      .values([
        { contact_id: contact.id, kind: 'phone', value: old('phone', PHONE), created_at: 1 },
        { contact_id: contact.id, kind: 'email', value: old('email', EMAIL), created_at: 1 },
        { contact_id: contact.id, kind: 'external', value: 'crm-42', created_at: 1 },
      ])
      .execute();
    await db().deleteFrom('settings').where('name', '=', 'identity_secret_check').execute();
    await t.server.close();
    if (backend.name === 'sqlite') rmSync(keyFile());

    await restart();
    const rekeyed = await db().selectFrom('identities').select(['kind', 'value']).orderBy('id').execute();
    expect(rekeyed).toEqual([
      { kind: 'phone', value: hashIdentity({ secret: secret(), storeKey }, 'phone', PHONE) },
      { kind: 'email', value: hashIdentity({ secret: secret(), storeKey }, 'email', EMAIL) },
      { kind: 'external', value: 'crm-42' },
    ]);
    expect(await lead({ phone: PHONE })).toBe(contact.id);
    expect(await lead({ email: EMAIL })).toBe(contact.id);
    expect(await lead({ externalId: 'crm-42' })).toBe(contact.id);

    // Re-keyed once: the next start leaves the values as they are.
    await restart();
    expect(await db().selectFrom('identities').select(['kind', 'value']).orderBy('id').execute()).toEqual(
      rekeyed,
    );
    expect(await lead({ phone: PHONE })).toBe(contact.id);
  });

  if (backend.name === 'postgres') {
    it('refuses to start on PostgreSQL without CHATMARK_SECRET_KEY, naming it', async () => {
      await t.server.close();
      await expect(
        buildServer(loadConfig({ ...t.env, CHATMARK_SECRET_KEY: '' }), { logger: false }),
      ).rejects.toMatchObject({
        code: 'invalid_config',
        field: 'CHATMARK_SECRET_KEY',
        message: expect.stringContaining('CHATMARK_SECRET_KEY is required with PostgreSQL'),
      });
    });
  }

  if (backend.name === 'sqlite') {
    it('keeps the key in DATA_DIR/secret.key (0600), made once, and refuses to start without it', async () => {
      const key = secret();
      expect(key.length).toBeGreaterThanOrEqual(32);
      expect((statSync(keyFile()).mode & 0o777).toString(8)).toBe('600');
      const ana = await lead({ phone: PHONE });
      await restart();
      expect(secret()).toBe(key);
      expect(await lead({ phone: PHONE })).toBe(ana);

      // A lost key file is not silently replaced by a new key: the contacts would stop matching.
      await restarted?.close();
      restarted = undefined;
      rmSync(keyFile());
      await expect(buildServer(loadConfig(t.env), { logger: false })).rejects.toMatchObject({
        code: 'invalid_config',
        message: expect.stringContaining('secret.key is missing'),
      });
      expect(existsSync(keyFile())).toBe(false);
      // CHATMARK_SECRET_KEY set to the file's content works as well.
      await restart({ ...t.env, CHATMARK_SECRET_KEY: key });
      expect(await lead({ phone: PHONE })).toBe(ana);
    });
  }
});
