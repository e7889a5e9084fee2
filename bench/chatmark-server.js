// Chatmark's real server (the composition root `serve` uses) on a fresh database, with
// BENCH_LINKS links (or, given BENCH_LINK_CODES, the links another server made in the same store).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../dist/config.js';
import { buildServer } from '../dist/server.js';

// Its own data directory (the spill lives there) unless told to share a filled store's.
const ownDir = process.env.BENCH_DATA_DIR === undefined;
const dataDir = process.env.BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'chatmark-bench-'));
const key = 'cm_benchadmin_0123456789abcdefghijklmnop'; // the same admin key as bench/scale.js
const env = {
  DATA_DIR: dataDir,
  CHATMARK_API_KEY: key,
  RATE_LIMIT_PER_MINUTE: '0',
  LOG_LEVEL: 'warn',
  ...(process.env.BENCH_DATABASE_URL
    ? {
        DATABASE_URL: process.env.BENCH_DATABASE_URL,
        DATABASE_SCHEMA: process.env.BENCH_DATABASE_SCHEMA,
        CHATMARK_SECRET_KEY: 'bench-secret-key-0123456789abcdefghijklmnop',
      }
    : {}),
  ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL } : {}),
};
const server = await buildServer(loadConfig(env), { logger: { level: 'warn' } });
let links;
if (process.env.BENCH_LINK_CODES) {
  links = JSON.parse(process.env.BENCH_LINK_CODES);
} else {
  links = [];
  for (let i = 0; i < Number(process.env.BENCH_LINKS ?? 1); i += 1) {
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/links',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        channel: 'whatsapp',
        target: { phone: '+447911123456' },
        text: 'Hi! I saw your flyer',
      }),
    });
    const link = created.json();
    links.push({ id: link.id, code: link.code });
  }
}
await server.app.listen({ port: 0, host: '127.0.0.1' });
process.send?.({
  port: server.app.server.address().port,
  code: links[0]?.code,
  linkId: links[0]?.id,
  links,
});
// bench/scale.js: the event loop's delays while it runs a year-long report against this server.
let loopDelay;
process.on('message', async (m) => {
  if (m === 'loop-delay-start') {
    loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    process.send?.({ started: true });
  }
  if (m === 'loop-delay-stop') {
    loopDelay.disable();
    process.send?.({ maxMs: loopDelay.max / 1e6, p99Ms: loopDelay.percentile(99) / 1e6 });
  }
  if (m === 'count') {
    const row = await server.store.db
      .selectFrom('clicks')
      .select((eb) => eb.fn.countAll().as('n'))
      .where(
        'link_id',
        'in',
        links.map((l) => l.id),
      )
      .executeTakeFirstOrThrow();
    const metrics = (await server.app.inject({ method: 'GET', url: '/metrics' })).body;
    const read = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? 0);
    process.send?.({
      clicks: Number(row.n),
      rss: process.memoryUsage().rss,
      commits: read('chatmark_journal_batch_clicks_count'),
      journaled: read('chatmark_journal_batch_clicks_sum'),
      flushSeconds: read('chatmark_journal_flush_seconds_sum'),
      spilled: read('chatmark_clicks_spilled_total'),
    });
  }
  if (m === 'stop') {
    await server.close();
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }
});
