import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildServer } from '../../src/server.js';
import { jsonOf, runCli } from '../support/run-cli.js';

/** `chatmark keys` on the same store `serve` uses, and the keys it makes working over HTTP. */
describe('chatmark keys', () => {
  it('creates, lists and revokes keys; a created key works over HTTP until revoked', async () => {
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'chatmark-keys-')) };
    const created = jsonOf(
      await runCli(['keys', 'create', '--role', 'editor', '--name', 'zapier', '--json'], { env }),
    ) as {
      secret: string;
      key: { id: number; role: string; prefix: string };
    };
    expect(created.key).toMatchObject({ role: 'editor', name: 'zapier' });
    expect(created.secret.startsWith(created.key.prefix)).toBe(true);

    const listed = jsonOf(await runCli(['keys', 'list', '--json'], { env })) as {
      keys: { prefix: string }[];
    };
    expect(listed.keys.map((k) => k.prefix)).toContain(created.key.prefix);
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    const server = await buildServer(loadConfig(env), { logger: false });
    const call = () =>
      server.app.inject({
        method: 'GET',
        url: '/api/links',
        headers: { authorization: `Bearer ${created.secret}` },
      });
    try {
      expect((await call()).statusCode).toBe(200);
      const revoked = await runCli(['keys', 'revoke', created.key.prefix], { env });
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toContain('revoked');
      expect((await call()).statusCode).toBe(401);
    } finally {
      await server.close();
    }

    const again = await runCli(['keys', 'revoke', created.key.prefix, '--json'], { env });
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout).error.code).toBe('key_not_found');
    const badRole = await runCli(['keys', 'create', '--role', 'owner', '--json'], { env });
    expect(badRole.code).toBe(2);
    expect(JSON.parse(badRole.stdout).error).toMatchObject({ code: 'invalid_role', field: 'role' });
  });

  it('refuses a bad configuration with a clear message and exit 2', async () => {
    const run = await runCli(['keys', 'list', '--json'], { env: { DATABASE_URL: 'mysql://nope' } });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'invalid_config', field: 'DATABASE_URL' });
  });
});
