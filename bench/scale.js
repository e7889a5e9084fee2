// Memory and report latency with a large store: 10 million clicks (BENCH_CLICKS) over 1,000
// links in 30 days, then the server's RSS and the p95 of GET /api/links/:id/stats.
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../dist/config.js';
import { buildServer } from '../dist/server.js';
import { machine } from './machine.js';

const CLICKS = Number(process.env.BENCH_CLICKS ?? 10_000_000);
const LINKS = 1000;
const DAYS = 30;
const KEY = 'cm_benchadmin_0123456789abcdefghijklmnop';
const DEVICES = ['mobile', 'mobile', 'mobile', 'desktop', 'tablet'];
const BROWSERS = ['Mobile Safari', 'Chrome', 'Chrome WebView', 'Samsung Internet', 'Firefox'];
const REFERRERS = [null, 'l.instagram.com', 'm.facebook.com', 't.co', 'www.google.com'];

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function benchScale() {
  const dir = process.env.BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'chatmark-scale-'));
  const config = loadConfig({
    DATA_DIR: dir,
    CHATMARK_API_KEY: KEY,
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
  });
  const server = await buildServer(config, { logger: false });
  const linkIds = [];
  for (let i = 0; i < LINKS; i += 1) {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/links',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ channel: 'whatsapp', target: { phone: '+447911123456' } }),
    });
    linkIds.push(response.json().id);
  }

  // Fill through the journal's own write path (the same statements and rollups as live clicks).
  const started = Date.now();
  const end = Date.UTC(2026, 10, 1);
  const span = DAYS * 86_400_000;
  const batch = 5000;
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let n = 1; n <= CLICKS; n += batch) {
    const clicks = [];
    for (let k = n; k < Math.min(n + batch, CLICKS + 1); k += 1) {
      const r = rand();
      clicks.push({
        id: 10_000_000 + k,
        linkId: linkIds[Math.floor(rand() * LINKS)],
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
    await server.store.writeClicks(clicks);
  }
  const fillSeconds = (Date.now() - started) / 1000;
  // A fresh server process on the filled store, as `npm start` would come up on it.
  await server.close();
  const child = fork(new URL('./chatmark-server.js', import.meta.url), {
    env: { ...process.env, BENCH_DATA_DIR: dir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port } = await new Promise((resolve) => child.once('message', resolve));

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
  const rss = rssBytes / 2 ** 20;
  child.send('stop');
  const p95 = percentile(times, 95);
  return {
    name: 'scale',
    machine: machine(),
    lines: [
      `${CLICKS.toLocaleString('en')} clicks over ${LINKS} links written in ${fillSeconds.toFixed(0)} s (${Math.round(CLICKS / fillSeconds).toLocaleString('en')} clicks/s through the journal's write)`,
      `GET /api/links/:id/stats (30 days, ~${Math.round(CLICKS / LINKS).toLocaleString('en')} clicks a link): p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target < 200 ms)`,
      `server process RSS after the queries: ${rss.toFixed(0)} MiB (target < 250 MB)`,
    ],
    pass: p95 < 200 && rss < 250,
  };
}
