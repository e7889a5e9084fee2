import { afterEach, beforeEach, expect, it } from 'vitest';
import { jsonOf, runCli } from '../support/run-cli.js';
import { ADMIN_KEY, startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';

/** `chatmark keys revoke` keeps the last admin key, on the store `serve` uses (issue 10, 1.8). */
describeEachBackend('chatmark keys revoke: the last admin key stays', (backend) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(backend);
  });
  afterEach(async () => t?.close());

  it('refuses the last admin key with exit 2 and last_admin_key, and revokes it once another exists', async () => {
    const prefix = ADMIN_KEY.slice(0, 11);
    const refused = await runCli(['keys', 'revoke', prefix, '--json'], { env: t.env });
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'last_admin_key', field: 'key' });
    expect(refused.stderr).toContain('last active admin key');
    expect((await t.call('GET', '/api/keys')).statusCode).toBe(200);

    const other = jsonOf(
      await runCli(['keys', 'create', '--role', 'admin', '--name', 'ops', '--json'], { env: t.env }),
    ) as { key: { id: number } };
    const revoked = await runCli(['keys', 'revoke', prefix, '--json'], { env: t.env });
    expect(revoked.code).toBe(0);
    expect((await t.call('GET', '/api/keys')).statusCode).toBe(401);
    const last = await runCli(['keys', 'revoke', String(other.key.id), '--json'], { env: t.env });
    expect(JSON.parse(last.stdout).error.code).toBe('last_admin_key');
  });
});
