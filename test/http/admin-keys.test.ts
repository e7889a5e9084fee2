import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildServer, type Server } from '../../src/server.js';
import { ADMIN_KEY, startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';

interface KeyView {
  id: number;
  role: string;
  prefix: string;
  revokedAt: string | null;
}

/**
 * Admin access cannot be lost (issue 10, 1.8): the last active admin key cannot be revoked, and
 * `CHATMARK_API_KEY` makes its key an active admin again on every start.
 */
describeEachBackend('admin keys: the last one stays, CHATMARK_API_KEY restores', (backend) => {
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

  const keys = async (): Promise<KeyView[]> => (await t.call('GET', '/api/keys')).json().keys;
  const bootstrapKey = async () => {
    const key = (await keys()).find((k) => ADMIN_KEY.startsWith(k.prefix));
    if (!key) throw new Error('the CHATMARK_API_KEY key is not listed');
    return key;
  };
  /** Starts a second server on the same store and configuration: what a restart does. */
  const log: string[] = [];
  const restart = async () => {
    await t.server.close();
    log.length = 0;
    restarted = await buildServer(loadConfig(t.env), {
      logger: { level: 'warn', stream: { write: (line) => void log.push(line) } },
    });
    return restarted;
  };
  const canManageKeys = async (server: Server) =>
    (
      await server.app.inject({
        method: 'GET',
        url: '/api/keys',
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      })
    ).statusCode;

  it('refuses to revoke the last active admin key with 409 last_admin_key', async () => {
    const only = await bootstrapKey();
    const refused = await t.call('DELETE', `/api/keys/${only.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({
      error: { code: 'last_admin_key', message: expect.any(String), field: 'key' },
    });
    expect((await t.call('GET', '/api/keys')).statusCode).toBe(200);

    // Editors and viewers do not count: they cannot manage keys.
    await t.call('POST', '/api/keys', { name: 'ops', role: 'editor' });
    expect((await t.call('DELETE', `/api/keys/${only.id}`)).statusCode).toBe(409);

    // With a second admin, the first may go; then the second is the last one.
    const second = (await t.call('POST', '/api/keys', { name: 'second', role: 'admin' })).json();
    expect((await t.call('DELETE', `/api/keys/${only.id}`)).statusCode).toBe(200);
    const last = await t.call('DELETE', `/api/keys/${second.key.id}`, undefined, { key: second.secret });
    expect(last.statusCode).toBe(409);
    expect(last.json().error.code).toBe('last_admin_key');
    expect((await t.call('GET', '/api/keys', undefined, { key: second.secret })).statusCode).toBe(200);
  });

  it('lets only one of two concurrent revokes of the last two admin keys through', async () => {
    const secretOf = new Map<number, string>([[(await bootstrapKey()).id, ADMIN_KEY]]);
    const activeAdmins = async () =>
      t.server.store.db
        .selectFrom('api_keys')
        .select('id')
        .where('role', '=', 'admin')
        .where('revoked_at', 'is', null)
        .execute();
    for (let round = 0; round < 5; round += 1) {
      const [survivor] = await activeAdmins();
      const survivorSecret = secretOf.get(survivor?.id ?? -1) as string;
      const added = (
        await t.call('POST', '/api/keys', { name: `admin ${round}`, role: 'admin' }, { key: survivorSecret })
      ).json();
      secretOf.set(added.key.id, added.secret);
      // Both calls use the first key: one revokes it, the other revokes the second key.
      const answers = await Promise.all([
        t.call('DELETE', `/api/keys/${survivor?.id}`, undefined, { key: survivorSecret }),
        t.call('DELETE', `/api/keys/${added.key.id}`, undefined, { key: survivorSecret }),
      ]);
      const statuses = answers.map((a) => a.statusCode).sort();
      // One revoke wins; the other is refused as the last admin key (409), or, when its own key
      // was revoked before it was authenticated, as unauthorized (401). Never two revokes.
      expect(statuses[0]).toBe(200);
      expect([401, 409]).toContain(statuses[1]);
      expect(await activeAdmins()).toHaveLength(1);
    }
  });

  it('restores CHATMARK_API_KEY as an active admin on start after a revoke', async () => {
    const configured = await bootstrapKey();
    await t.call('POST', '/api/keys', { name: 'second', role: 'admin' });
    expect((await t.call('DELETE', `/api/keys/${configured.id}`)).statusCode).toBe(200);
    expect((await t.call('GET', '/api/keys')).statusCode).toBe(401);

    const server = await restart();
    expect(log.join('')).toContain('CHATMARK_API_KEY had been revoked or demoted');
    expect(await canManageKeys(server)).toBe(200);
    const rows = await server.store.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', configured.id)
      .execute();
    expect(rows).toMatchObject([{ role: 'admin', revoked_at: null }]);
    expect(await server.store.db.selectFrom('api_keys').select('id').execute()).toHaveLength(2);
  });

  it('restores CHATMARK_API_KEY as an admin on start after a demotion', async () => {
    const configured = await bootstrapKey();
    await t.server.store.db
      .updateTable('api_keys')
      .set({ role: 'viewer' })
      .where('id', '=', configured.id)
      .execute();
    expect((await t.call('GET', '/api/keys')).statusCode).toBe(403);

    const server = await restart();
    expect(await canManageKeys(server)).toBe(200);
  });

  it('refuses to start when CHATMARK_API_KEY shares its prefix with another key', async () => {
    await t.server.close();
    const clash = `${ADMIN_KEY.slice(0, 11)}-another-secret-0123456789`;
    await expect(
      buildServer(loadConfig({ ...t.env, CHATMARK_API_KEY: clash }), { logger: false }),
    ).rejects.toMatchObject({
      code: 'invalid_config',
      field: 'CHATMARK_API_KEY',
    });
  });
});
