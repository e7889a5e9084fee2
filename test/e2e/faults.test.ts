import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServeProcess } from '../support/process.js';
import { runCli } from '../support/run-cli.js';
import { deadPort } from '../support/tcp-proxy.js';

const KEY = 'cm_e2eadmin_0123456789abcdefghijklmnop';
const UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

/**
 * The real `chatmark serve` process facing services that are not there: it serves without Redis
 * (one warning, not a flood) and refuses to start without PostgreSQL, saying which one.
 */
describe('chatmark serve with its services away (a real process)', () => {
  it('listens and serves with REDIS_URL unreachable, and does not flood its output', async () => {
    const serve = await startServeProcess({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'chatmark-e2e-redis-')),
      CHATMARK_API_KEY: KEY,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    try {
      const created = await fetch(`${serve.baseUrl}/api/links`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'web', target: { url: 'https://shop.example/' } }),
      });
      expect(created.status).toBe(201);
      const { code } = (await created.json()) as { code: string };
      const redirect = await fetch(`${serve.baseUrl}/${code}`, {
        redirect: 'manual',
        headers: { 'user-agent': UA },
      });
      expect(redirect.status).toBe(302);

      const lines = () => serve.output().split('\n').filter(Boolean);
      const before = lines();
      expect(before.filter((l) => /Redis is unavailable/.test(l))).toHaveLength(1); // told once
      // Reconnects go on in the background (every 100 ms at first, then up to every 5 s); the
      // output must not grow with them. The old client printed every failed attempt to stderr.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(lines().slice(before.length)).toEqual([]);
      expect(before.length).toBeLessThan(10);
    } finally {
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
    }
  });

  it('fails to start with PostgreSQL unreachable, naming the database and not its password', async () => {
    const port = await deadPort();
    const run = await runCli(['serve'], {
      env: {
        PORT: '0',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'chatmark-e2e-pg-')),
        DATABASE_URL: `postgres://chatmark:s3cret-pw@127.0.0.1:${port}/chatmark`,
      },
    });
    expect(run.code).not.toBe(0);
    const output = run.stdout + run.stderr;
    expect(output).toContain(`cannot reach PostgreSQL at 127.0.0.1:${port}: connect ECONNREFUSED`);
    expect(output).not.toContain('s3cret-pw');
    expect(output).not.toContain('Migration');
  });
});
