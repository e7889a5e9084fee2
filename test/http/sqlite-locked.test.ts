import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { follow, listen } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { BACKENDS } from '../support/services.js';

const sqlite = BACKENDS[0]!;

/** Milliseconds `work` took. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

// Issue 10, §2.3: another process (a CLI import, a second server, a backup) holds SQLite's write
// lock. SQLite's busy handler sleeps on the thread that asked, so a write that waited in it (5 s)
// held the event loop: redirects, health checks and every read stood still behind one POST.
describe('SQLite locked by another process', () => {
  let t: TestServer | null = null;
  let locker: SqliteDatabase.Database | null = null;
  afterEach(async () => {
    locker?.close();
    locker = null;
    await t?.close();
    t = null;
  });

  it('a write waits for the lock without holding the event loop: reads, health and redirects answer meanwhile; 503 after 5 s', async () => {
    t = await startTestServer(sqlite);
    const base = await listen(t.server);
    const link = (
      await t.call('POST', '/api/links', { channel: 'whatsapp', target: { phone: '+447911123456' } })
    ).json<{ id: number; code: string }>();
    expect((await follow(base, link.code)).status).toBe(302); // cached, click numbers reserved

    locker = new SqliteDatabase(join(t.env.DATA_DIR!, 'chatmark.db'));
    locker.exec('begin immediate');
    locker.prepare("insert into settings (name, value) values ('locker', 'x')").run();

    const write = timed(() => t!.call('POST', '/api/campaigns', { name: 'Locked out', owner: 'ops' }));
    // While it waits: the event loop is free (each of these would take the write's whole wait).
    const health = await timed(() => fetch(`${base}/healthz`));
    expect(health.value.status).toBe(200);
    expect(health.ms).toBeLessThan(500);
    const read = await timed(() => t!.call('GET', '/api/links'));
    expect(read.value.statusCode).toBe(200);
    expect(read.value.json<{ links: { id: number }[] }>().links.map((l) => l.id)).toContain(link.id);
    expect(read.ms).toBeLessThan(500);
    const click = await timed(() => follow(base, link.code));
    expect(click.value.status).toBe(302);
    expect(click.ms).toBeLessThan(1500); // its commit gives up after 250 ms and spills

    const refused = await write;
    expect(refused.value.statusCode).toBe(503);
    expect(refused.value.json<{ error: { code: string } }>().error.code).toBe('store_unavailable');
    expect(refused.ms).toBeGreaterThan(4000);
    expect(refused.ms).toBeLessThan(8000);

    // The lock goes: a write that is waiting when it does goes through, and nothing half done stays.
    const retried = t.call('POST', '/api/campaigns', { name: 'After the lock', owner: 'ops' });
    await new Promise((r) => setTimeout(r, 300));
    locker.exec('commit');
    expect((await retried).statusCode).toBe(201);
    const names = (await t.call('GET', '/api/campaigns'))
      .json<{ campaigns: { name: string }[] }>()
      .campaigns.map((c) => c.name);
    expect(names).toContain('After the lock');
    expect(names).not.toContain('Locked out');
  }, 30_000);

  it('a transaction waits for the lock the same way and commits once it is free', async () => {
    t = await startTestServer(sqlite);
    locker = new SqliteDatabase(join(t.env.DATA_DIR!, 'chatmark.db'));
    locker.exec('begin immediate');
    // Creating a link with a new campaign runs in one transaction (BEGIN IMMEDIATE).
    const created = t.call('POST', '/api/links', {
      channel: 'whatsapp',
      target: { phone: '+447911123456' },
      text: 'Hi',
    });
    const started = performance.now();
    await new Promise((r) => setTimeout(r, 50));
    // The event loop turns while the transaction waits (a timer fires on time).
    expect(performance.now() - started).toBeLessThan(400);
    await new Promise((r) => setTimeout(r, 400));
    locker.exec('commit');
    expect((await created).statusCode).toBe(201);
  }, 30_000);
});
