// Memory and report latency with a large store: 10 million clicks (BENCH_CLICKS) over 1,000
// links in 30 days, then the server's RSS and the p95 of GET /api/links/:id/stats.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../dist/config.js';
import { buildServer } from '../dist/server.js';
import { refreshEventTouches } from '../dist/store/touches.repository.js';
import { machine } from './machine.js';

const CLICKS = Number(process.env.BENCH_CLICKS ?? 10_000_000);
const LINKS = 1000;
const CAMPAIGNS = 20;
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const DAYS = 30;
const KEY = 'cm_benchadmin_0123456789abcdefghijklmnop';
const DEVICES = ['mobile', 'mobile', 'mobile', 'desktop', 'tablet'];
const BROWSERS = ['Mobile Safari', 'Chrome', 'Chrome WebView', 'Samsung Internet', 'Firefox'];
const REFERRERS = [null, 'l.instagram.com', 'm.facebook.com', 't.co', 'www.google.com'];

let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function fill(server, api) {
  const campaignIds = [];
  for (let i = 0; i < CAMPAIGNS; i += 1)
    campaignIds.push((await api('/api/campaigns', { name: `Campaign ${i}`, owner: 'bench' })).id);
  const linkIds = [];
  const campaignOfLink = new Map();
  for (let i = 0; i < LINKS; i += 1) {
    const campaignId = campaignIds[i % CAMPAIGNS];
    const link = await api('/api/links', {
      campaignId,
      channel: 'whatsapp',
      target: { phone: '+447911123456' },
      variant: i % 2 ? 'a' : 'b',
    });
    linkIds.push(link.id);
    campaignOfLink.set(link.id, campaignId);
  }

  // Fill through the journal's own write path (the same statements and rollups as live clicks).
  const started = Date.now();
  const end = Date.UTC(2026, 10, 1);
  const span = DAYS * 86_400_000;
  const batch = 5000;
  const linkOfClick = new Int32Array(CLICKS + 1);
  for (let n = 1; n <= CLICKS; n += batch) {
    const clicks = [];
    for (let k = n; k < Math.min(n + batch, CLICKS + 1); k += 1) {
      const r = rand();
      const linkId = linkIds[Math.floor(rand() * LINKS)];
      linkOfClick[k] = linkId;
      clicks.push({
        id: 10_000_000 + k,
        linkId,
        at: end - span + Math.floor((k / CLICKS) * span),
        visitorHash: `v${Math.floor(rand() * CLICKS * 0.6)}`,
        device: DEVICES[Math.floor(r * DEVICES.length)],
        os: 'iOS',
        browser: BROWSERS[Math.floor(rand() * BROWSERS.length)],
        referrerHost: REFERRERS[Math.floor(rand() * REFERRERS.length)],
        qr: rand() < 0.1,
        bot: rand() < 0.08,
        botReason: null,
        country: null,
        adIds: null,
      });
    }
    await writeClicksPatiently(server.store, clicks);
  }
  const fillSeconds = (Date.now() - started) / 1000;

  // 1M events straight into the table (the API's ingest rate is its own benchmark): chats from
  // clicks, 40% of them qualified, 25% bought, and other events to make up the count.
  const eventsStarted = Date.now();
  const db = server.store.db;
  let events = 0;
  let key = 0;
  // Through Kysely, so the same fill runs on either store: 1,000 people at a time, each with
  // their contact row and events, in one transaction.
  while (events < EVENTS) {
    const people = [];
    for (let i = 0; i < 1000 && events < EVENTS; i += 1) {
      const k = 1 + Math.floor(rand() * CLICKS);
      const linkId = linkOfClick[k];
      const campaignId = campaignOfLink.get(linkId);
      const at = end - span + Math.floor((k / CLICKS) * span);
      const rows = [];
      const add = (type, offset, amount) => {
        rows.push({
          type,
          occurred_at: at + offset,
          received_at: at + offset,
          idempotency_key: `b${(key += 1)}`,
          source: 'api',
          click_id: 10_000_000 + k,
          link_id: linkId,
          campaign_id: campaignId,
          amount,
          currency: amount === null ? null : 'USD',
          reentry: 0,
        });
        events += 1;
      };
      add('chat_started', 60_000, null);
      if (rand() < 0.4) add('qualified', 1_800_000, null);
      if (rand() < 0.25) add('purchase', 86_400_000, 8500);
      if (rand() < 0.5) add('message', 120_000, null);
      people.push({ at, rows });
    }
    await db.transaction().execute(async (trx) => {
      const contacts = await trx
        .insertInto('contacts')
        .values(people.map((p) => ({ created_at: p.at })))
        .returning('id')
        .execute();
      const rows = people.flatMap((p, i) => p.rows.map((row) => ({ ...row, contact_id: contacts[i].id })));
      for (let i = 0; i < rows.length; i += 500)
        await trx
          .insertInto('events')
          .values(rows.slice(i, i + 500))
          .execute();
    });
  }
  const eventSeconds = (Date.now() - eventsStarted) / 1000;
  // Written behind the API's back, so the conversions' stored touches are rebuilt in one go.
  const touchesStarted = Date.now();
  await refreshEventTouches(server.store.db, 'all');
  const touchSeconds = (Date.now() - touchesStarted) / 1000;
  // PostgreSQL plans from table statistics, which autovacuum gathers within a minute or so of a
  // load this size; gather them now rather than measure plans made without them.
  if (process.env.BENCH_DATABASE_URL) await sql`vacuum analyze`.execute(server.store.db);
  return { campaignIds, linkIds, fillSeconds, eventSeconds, touchSeconds, events };
}

async function readBack(server) {
  // A store measured before: its whole-store report slices are dropped, so the first report is cold.
  await server.store.db.deleteFrom('report_slices').execute();
  const campaignIds = (
    await server.store.db.selectFrom('campaigns').select('id').orderBy('id').execute()
  ).map((r) => r.id);
  const linkIds = (await server.store.db.selectFrom('links').select('id').orderBy('id').execute()).map(
    (r) => r.id,
  );
  const { n } = await server.store.db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return { campaignIds, linkIds, fillSeconds: NaN, eventSeconds: NaN, touchSeconds: NaN, events: Number(n) };
}

/**
 * The journal's write gives up after 250 ms of waiting for a lock (a redirect must not wait
 * longer; the server spills the batch instead). The fill writes far bigger batches than any
 * redirect, so a WAL checkpoint may outlast that: wait for it and write again.
 */
async function writeClicksPatiently(store, clicks) {
  for (;;) {
    try {
      return await store.writeClicks(clicks);
    } catch (error) {
      if (error?.code !== 'SQLITE_BUSY') throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export async function benchScale() {
  const dir = process.env.BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'chatmark-scale-'));
  // BENCH_DATA_DIR holding a store this benchmark filled before: measure it again without refilling.
  const reuse =
    !process.env.BENCH_DATABASE_URL &&
    process.env.BENCH_DATA_DIR !== undefined &&
    existsSync(join(dir, 'chatmark.db'));
  // BENCH_DATABASE_URL: the same on PostgreSQL, in a schema of its own that is dropped afterwards.
  const postgres = process.env.BENCH_DATABASE_URL;
  const schema = postgres ? `bench_scale_${process.pid}` : undefined;
  const config = loadConfig({
    DATA_DIR: dir,
    CHATMARK_API_KEY: KEY,
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
    // The fill (millions of rows, touches rebuilt in one go, vacuum) may outlast a request's limit.
    ...(postgres && {
      DATABASE_URL: postgres,
      DATABASE_SCHEMA: schema,
      DATABASE_STATEMENT_TIMEOUT_MS: '0',
      CHATMARK_SECRET_KEY: 'bench-secret-key-0123456789abcdefghijklmnop',
    }),
  });
  const server = await buildServer(config, { logger: false });
  const api = async (url, body) =>
    (
      await server.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      })
    ).json();
  const filled = reuse ? await readBack(server) : await fill(server, api);
  const { campaignIds, linkIds, fillSeconds, eventSeconds, touchSeconds, events } = filled;
  // A fresh server process on the filled store, as `npm start` would come up on it.
  await server.close();
  const child = fork(new URL('./chatmark-server.js', import.meta.url), {
    env: { ...process.env, BENCH_DATA_DIR: dir, ...(schema && { BENCH_DATABASE_SCHEMA: schema }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port } = await new Promise((resolve) => child.once('message', resolve));

  const timed = async (url, n) => {
    const out = [];
    for (let i = 0; i < n; i += 1) {
      const t = process.hrtime.bigint();
      const response = await fetch(`http://127.0.0.1:${port}${url(i)}`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      if (response.status !== 200) throw new Error(`${url(i)}: ${response.status} ${await response.text()}`);
      await response.json();
      out.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return out.sort((a, b) => a - b);
  };
  const range = 'from=2026-10-02&to=2026-10-31';
  const funnelTimes = await timed(
    (i) => `/api/reports/funnel?campaignId=${campaignIds[i % CAMPAIGNS]}&groupBy=day&${range}`,
    60,
  );
  const variantTimes = await timed(
    (i) => `/api/reports/funnel?campaignId=${campaignIds[i % CAMPAIGNS]}&groupBy=variant&${range}`,
    20,
  );
  // The whole store: the first request computes and keeps the 30 day slices, the next read them.
  const allFirst = await timed(() => `/api/reports/funnel?groupBy=campaign&${range}`, 1);
  const allTimes = await timed(() => `/api/reports/funnel?groupBy=campaign&${range}`, 20);
  // The longest period a report may cover (366 days), cold (groupBy=channel has no cached slices
  // yet), while /healthz is asked every 10 ms: the server's event loop delay meanwhile.
  const ask = async (m) => {
    const answer = new Promise((resolve) => child.once('message', resolve));
    child.send(m);
    return answer;
  };
  await ask('loop-delay-start');
  const longStarted = process.hrtime.bigint();
  let longDone = false;
  const long = timed(() => '/api/reports/funnel?groupBy=channel&from=2025-10-31&to=2026-10-31', 1).finally(
    () => (longDone = true),
  );
  let slowestHealth = 0;
  while (!longDone) {
    const t = process.hrtime.bigint();
    await (await fetch(`http://127.0.0.1:${port}/healthz`)).arrayBuffer();
    slowestHealth = Math.max(slowestHealth, Number(process.hrtime.bigint() - t) / 1e6);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await long;
  const longMs = Number(process.hrtime.bigint() - longStarted) / 1e6;
  const loop = await ask('loop-delay-stop');
  const times = [];
  for (let i = 0; i < 200; i += 1) {
    const id = linkIds[Math.floor(rand() * LINKS)];
    const t = process.hrtime.bigint();
    const response = await fetch(
      `http://127.0.0.1:${port}/api/links/${id}/stats?from=2026-10-01T00:00:00Z&to=2026-11-02T00:00:00Z`,
      { headers: { authorization: `Bearer ${KEY}` } },
    );
    await response.json();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const { rss: rssBytes } = await new Promise((resolve) => {
    child.once('message', resolve);
    child.send('count');
  });
  // DESIGN.md says MB: decimal megabytes (a MiB is 4.9 % larger).
  const rss = rssBytes / 1e6;
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
  if (process.env.BENCH_DATA_DIR === undefined) rmSync(dir, { recursive: true, force: true });
  if (postgres) {
    const client = new pg.Client({ connectionString: postgres });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
  const p95 = percentile(times, 95);
  return {
    name: postgres ? 'scale (PostgreSQL)' : 'scale',
    machine: machine(),
    lines: [
      `${CLICKS.toLocaleString('en')} clicks over ${LINKS} links written in ${fillSeconds.toFixed(0)} s (${Math.round(CLICKS / fillSeconds).toLocaleString('en')} clicks/s through the journal's write)`,
      `GET /api/links/:id/stats (30 days, ~${Math.round(CLICKS / LINKS).toLocaleString('en')} clicks a link): p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target < 200 ms)`,
      `${events.toLocaleString('en')} events over ${CAMPAIGNS} campaigns written in ${eventSeconds.toFixed(0)} s; their stored touches rebuilt in ${touchSeconds.toFixed(0)} s`,
      `GET /api/reports/funnel?campaignId=…&groupBy=day (one campaign, 30 days): p50 ${percentile(funnelTimes, 50).toFixed(0)} ms, p95 ${percentile(funnelTimes, 95).toFixed(0)} ms (target < 200 ms)`,
      `GET /api/reports/funnel?campaignId=…&groupBy=variant: p50 ${percentile(variantTimes, 50).toFixed(0)} ms, p95 ${percentile(variantTimes, 95).toFixed(0)} ms`,
      `GET /api/reports/funnel?groupBy=campaign (all ${CAMPAIGNS} campaigns, 30 days): first ${allFirst[0].toFixed(0)} ms (computes the day slices), then p50 ${percentile(allTimes, 50).toFixed(0)} ms, p95 ${percentile(allTimes, 95).toFixed(0)} ms`,
      `GET /api/reports/funnel?groupBy=channel over 366 days (the longest period), cold: ${longMs.toFixed(0)} ms; meanwhile the server's event loop max delay ${loop.maxMs.toFixed(1)} ms (p99 ${loop.p99Ms.toFixed(1)} ms), slowest /healthz ${slowestHealth.toFixed(1)} ms (target: no task over ~50 ms)`,
      `server process RSS after the queries: ${rss.toFixed(0)} MB (target < 250 MB)`,
    ],
    pass: p95 < 200 && rss < 250 && percentile(funnelTimes, 95) < 200,
  };
}
