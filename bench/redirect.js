// Redirect throughput and latency: Chatmark vs a bare node:http 302 server, same run, same load.
import { fork } from 'node:child_process';
import autocannon from 'autocannon';
import { machine } from './machine.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

function start(script) {
  const child = fork(new URL(script, import.meta.url), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/cm-prof'] : [],
  });
  return new Promise((resolve) => child.once('message', (info) => resolve({ child, info })));
}

function ask(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

async function load(url) {
  // A short warm-up, then the measured run.
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers: { 'user-agent': UA } });
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { 'user-agent': UA },
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export async function benchRedirect() {
  const bare = await start('./bare-server.js');
  const baseline = await load(`http://127.0.0.1:${bare.info.port}/x`);
  bare.child.send('stop');

  const cm = await start('./chatmark-server.js');
  const before = await ask(cm.child, 'count');
  const measured = await load(`http://127.0.0.1:${cm.info.port}/${cm.info.code}`);
  const after = await ask(cm.child, 'count');
  cm.child.send('stop');

  const answered = measured.non2xx; // every 302 is a non-2xx answer
  const recorded = after.clicks - before.clicks;
  const ratio = measured.rps / baseline.rps;
  return {
    name: 'redirect',
    machine: machine(),
    lines: [
      `bare node:http 302: ${baseline.rps.toFixed(0)} req/s, p99 ${baseline.p99} ms`,
      `chatmark GET /:code (SQLite, durable journal): ${measured.rps.toFixed(0)} req/s, p99 ${measured.p99} ms`,
      `ratio ${ratio.toFixed(2)}× (target ≥ 0.70), p99 target < 10 ms`,
      `302s answered in the measured + warm-up runs vs clicks committed: ${recorded} committed, ${measured.total} in the measured run; errors ${measured.errors}`,
      `journal: ${after.commits - before.commits} commits, ${((after.journaled - before.journaled) / Math.max(1, after.commits - before.commits)).toFixed(1)} clicks per commit, ${((1e6 * (after.flushSeconds - before.flushSeconds)) / Math.max(1, after.journaled - before.journaled)).toFixed(1)} µs of commit per click`,
      `server RSS after the run: ${(after.rss / 2 ** 20).toFixed(0)} MiB`,
    ],
    pass: ratio >= 0.7 && measured.p99 < 10,
    answered,
  };
}
