import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, expect, it } from 'vitest';
import { createRefCodec } from '../../src/domain/ref-token.js';
import { openStore } from '../../src/store/open-store.js';
import { getSetting, REF_TOKEN_KEY_SETTING } from '../../src/store/settings.repository.js';
import { startServeProcess } from '../support/process.js';
import { SECRET_KEY } from '../support/server.js';
import { describeEachBackend, POSTGRES_URL } from '../support/services.js';

const KEY = 'cm_e2eadmin_0123456789abcdefghijklmnop';
const UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const REDIRECTS = 120;
const schemas: string[] = [];

afterAll(async () => {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  for (const schema of schemas) await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

/** A TCP proxy to PostgreSQL that the test can cut (every connection dropped, new ones refused) and restore. */
async function startProxy(
  target: URL,
): Promise<{ port: number; cut(): void; restore(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let cut = false;
  const server: NetServer = createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      cut = false;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * DESIGN.md (scale-out): "an answered click durable even while the store is down (a local fsync'd
 * spill file replayed exactly once)". Issue 10 item 2.3: with the store failing, redirects are
 * still answered within a bounded time, a `kill -9` then loses none of them, and the next start
 * writes every one into the store once, rollups included.
 */
describeEachBackend(
  'an answered click survives a failing store and kill -9 (real `chatmark serve`)',
  (backend) => {
    const cleanups: (() => unknown)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function redirect(url: string): Promise<{ status: number; id: string | null; ms: number }> {
      const started = Date.now();
      const response = await fetch(url, { redirect: 'manual', headers: { 'user-agent': UA } });
      await response.arrayBuffer();
      return {
        status: response.status,
        id: response.headers.get('x-chatmark-click'),
        ms: Date.now() - started,
      };
    }

    it('answers while the store fails, loses nothing to kill -9, and the restart stores each click once', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'chatmark-spill-e2e-'));
      const schema = `spill_${process.pid}_${Date.now().toString(36)}`;
      const pgUrl = new URL(POSTGRES_URL);
      const proxy = backend.name === 'postgres' ? await startProxy(pgUrl) : null;
      if (proxy) {
        schemas.push(schema);
        cleanups.push(() => proxy.close());
      }
      const proxied = new URL(POSTGRES_URL);
      proxied.host = `127.0.0.1:${proxy?.port ?? 0}`;
      const env: Record<string, string> = {
        DATA_DIR: dir,
        CHATMARK_API_KEY: KEY,
        RATE_LIMIT_PER_MINUTE: '0',
        ...(proxy
          ? { DATABASE_URL: proxied.toString(), DATABASE_SCHEMA: schema, CHATMARK_SECRET_KEY: SECRET_KEY }
          : {}),
      };
      const serve = await startServeProcess(env);
      cleanups.push(() => serve.child.kill('SIGKILL'));
      const created = await fetch(`${serve.baseUrl}/api/links`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'whatsapp', target: { phone: '+447911123456' }, text: 'Hi' }),
      });
      const link = (await created.json()) as { id: number; code: string };
      const url = `${serve.baseUrl}/${link.code}`;
      // A running server: the link is cached and a block of click numbers reserved.
      const warm = await redirect(url);
      expect(warm.status).toBe(302);
      const answered = [String(warm.id)];

      // The store fails: SQLite locked by another connection, PostgreSQL unreachable.
      let locker: SqliteDatabase.Database | null = null;
      if (proxy) proxy.cut();
      else {
        locker = new SqliteDatabase(join(dir, 'chatmark.db'));
        locker.pragma('busy_timeout = 5000');
        locker.exec('begin exclusive');
        cleanups.push(() => locker?.close());
      }
      let next = 0;
      const slowest: number[] = [];
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          while (next < REDIRECTS) {
            next += 1;
            const r = await redirect(url);
            expect(r.status).toBe(302);
            answered.push(String(r.id));
            slowest.push(r.ms);
          }
        }),
      );
      expect(answered).toHaveLength(REDIRECTS + 1);
      // Liveness, not speed: a failing store delays a redirect by a bounded time (was 11 s on SQLite).
      expect(Math.max(...slowest)).toBeLessThan(2000);
      const spillDir = join(dir, 'spill');
      expect(readdirSync(spillDir).length).toBeGreaterThan(0);
      const spilled = readdirSync(spillDir).reduce(
        (n, name) => n + readFileSync(join(spillDir, name), 'utf8').trim().split('\n').length,
        0,
      );
      expect(spilled).toBe(REDIRECTS);

      serve.child.kill('SIGKILL');
      expect(await serve.exited).toBe('SIGKILL');
      if (locker) {
        locker.exec('commit');
        locker.close();
        locker = null;
      }
      proxy?.restore();

      // The next start replays the spill (and deletes it) before it serves: a second kill -9 right
      // after it starts keeps every click.
      const again = await startServeProcess(env);
      cleanups.push(() => again.child.kill('SIGKILL'));
      expect(readdirSync(spillDir)).toEqual([]);
      again.child.kill('SIGKILL');
      expect(await again.exited).toBe('SIGKILL');

      const store = await openStore(
        backend.name === 'postgres'
          ? { kind: 'postgres', url: POSTGRES_URL, schema }
          : { kind: 'sqlite', file: join(dir, 'chatmark.db') },
      );
      try {
        const codec = createRefCodec((await getSetting(store.db, REF_TOKEN_KEY_SETTING)) ?? '');
        const rows = await store.db
          .selectFrom('clicks')
          .select('id')
          .where('link_id', '=', link.id)
          .execute();
        expect(rows.map((r) => codec.encode(Number(r.id))).sort()).toEqual([...answered].sort());
        for (const table of ['click_rollups', 'click_rollups_daily'] as const) {
          const { n } = await store.db
            .selectFrom(table)
            .select((eb) => eb.fn.sum<number>('clicks').as('n'))
            .where('link_id', '=', link.id)
            .executeTakeFirstOrThrow();
          expect(Number(n), table).toBe(REDIRECTS + 1);
        }
      } finally {
        await store.close();
      }
    });
  },
);
