import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { createRefCodec } from '../../src/domain/ref-token.js';
import { openStore } from '../../src/store/open-store.js';
import { getSetting, REF_TOKEN_KEY_SETTING } from '../../src/store/settings.repository.js';
import { startServeProcess } from '../support/process.js';
import { jsonOf, runCli } from '../support/run-cli.js';
import { SECRET_KEY } from '../support/server.js';
import { describeEachBackend, POSTGRES_URL } from '../support/services.js';

const KEY = 'cm_e2eadmin_0123456789abcdefghijklmnop';
const UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const schemas: string[] = [];

afterAll(async () => {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  for (const schema of schemas) await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

/**
 * The real `chatmark serve` process: a `kill -9` loses no click whose redirect was answered, and
 * SIGTERM commits everything and exits cleanly (issue: durability; DESIGN.md redirect step 5).
 */
describeEachBackend('chatmark serve (a real process)', (backend) => {
  let env: Record<string, string>;
  beforeEach(() => {
    const dir = mkdtempSync(join(tmpdir(), 'chatmark-e2e-'));
    const schema = `e2e_${process.pid}_${Date.now().toString(36)}_${schemas.length}`;
    if (backend.name === 'postgres') schemas.push(schema);
    env = {
      DATA_DIR: dir,
      CHATMARK_API_KEY: KEY,
      RATE_LIMIT_PER_MINUTE: '0',
      ...(backend.name === 'postgres'
        ? { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema, CHATMARK_SECRET_KEY: SECRET_KEY }
        : {}),
    };
  });

  const storeOf = () =>
    openStore(
      backend.name === 'postgres'
        ? { kind: 'postgres', url: POSTGRES_URL, schema: env.DATABASE_SCHEMA }
        : { kind: 'sqlite', file: join(String(env.DATA_DIR), 'chatmark.db') },
    );

  async function createLink(baseUrl: string): Promise<{ id: number; code: string }> {
    const response = await fetch(`${baseUrl}/api/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'whatsapp', target: { phone: '+447911123456' }, text: 'Hi' }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: number; code: string };
  }

  /** Fires `count` redirects, `concurrency` at a time, until told to stop; returns the answered click ids. */
  async function hammer(
    url: string,
    count: number,
    concurrency: number,
    stop: { now: boolean },
  ): Promise<string[]> {
    const answered: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < count && !stop.now) {
        next += 1;
        try {
          const response = await fetch(url, { redirect: 'manual', headers: { 'user-agent': UA } });
          const id = response.headers.get('x-chatmark-click');
          if (response.status === 302 && id) answered.push(id);
        } catch {
          return; // the server is gone
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return answered;
  }

  async function missingClicks(answered: string[]): Promise<string[]> {
    const store = await storeOf();
    try {
      const codec = createRefCodec((await getSetting(store.db, REF_TOKEN_KEY_SETTING)) ?? '');
      const rows = await store.db.selectFrom('clicks').select('id').execute();
      const stored = new Set(rows.map((r) => codec.encode(Number(r.id))));
      return answered.filter((id) => !stored.has(id));
    } finally {
      await store.close();
    }
  }

  it('loses no answered click when killed with SIGKILL mid-load', async () => {
    const serve = await startServeProcess(env);
    const link = await createLink(serve.baseUrl);
    const stop = { now: false };
    const load = hammer(`${serve.baseUrl}/${link.code}`, 5000, 32, stop);
    await new Promise((r) => setTimeout(r, 700));
    serve.child.kill('SIGKILL');
    stop.now = true;
    const answered = await load;
    expect(await serve.exited).toBe('SIGKILL');
    expect(answered.length).toBeGreaterThan(20);
    expect(await missingClicks(answered)).toEqual([]);
  });

  it('commits everything and exits 0 on SIGTERM', async () => {
    const serve = await startServeProcess(env);
    const link = await createLink(serve.baseUrl);
    const answered = await hammer(`${serve.baseUrl}/${link.code}`, 200, 16, { now: false });
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    expect(serve.output()).toContain('stopped');
    expect(answered.length).toBe(200);
    expect(await missingClicks(answered)).toEqual([]);

    // The same store, read by the CLI: `chatmark report clicks`.
    const csv = await runCli(['report', 'clicks', '--link', link.code, '--csv'], { env });
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('click_id,at,bot,bot_reason,device,os,browser,referrer_host,qr,visitor,ad_ids');
    expect(lines).toHaveLength(201);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0]))).toEqual(new Set(answered));
    const json = jsonOf(await runCli(['report', 'clicks', '--link', link.code, '--json'], { env }));
    expect((json as { clicks: unknown[] }).clicks).toHaveLength(200);
    const summary = await runCli(['report', 'clicks', '--link', link.code], { env });
    expect(summary.stdout).toContain('200 clicks, 200 by people, 0 by bots');
    const missing = await runCli(['report', 'clicks', '--link', 'nope', '--json'], { env });
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error).toMatchObject({ code: 'link_not_found', field: 'link' });
  });
});
