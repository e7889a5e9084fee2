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

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Rounds alternate between the bare server and Chatmark (both kept running), so drift in the
 * machine's speed hits both alike; the figures are medians over the rounds.
 */
export async function benchRedirect() {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const bare = await start('./bare-server.js');
  const bareHeaders = await start('./bare-headers-server.js');
  const cm = await start('./chatmark-server.js');
  const before = await ask(cm.child, 'count');
  const bareRuns = [];
  const bareHeadersRuns = [];
  const cmRuns = [];
  for (let round = 0; round < rounds; round += 1) {
    bareRuns.push(await load(`http://127.0.0.1:${bare.info.port}/x`));
    bareHeadersRuns.push(await load(`http://127.0.0.1:${bareHeaders.info.port}/x`));
    cmRuns.push(await load(`http://127.0.0.1:${cm.info.port}/${cm.info.code}`));
  }
  const after = await ask(cm.child, 'count');
  bare.child.send('stop');
  bareHeaders.child.send('stop');
  cm.child.send('stop');

  const ratios = cmRuns.map((run, i) => run.rps / (bareRuns[i]?.rps ?? 1));
  const ratio = median(ratios);
  const p99 = median(cmRuns.map((r) => r.p99));
  const answered = cmRuns.reduce((sum, r) => sum + r.total, 0);
  const recorded = after.clicks - before.clicks;
  const commits = after.commits - before.commits;
  const journaled = after.journaled - before.journaled;
  return {
    name: 'redirect',
    machine: machine(),
    lines: [
      `${rounds} rounds of ${SECONDS} s at ${CONNECTIONS} connections, alternating (medians):`,
      `bare node:http 302: ${median(bareRuns.map((r) => r.rps)).toFixed(0)} req/s, p99 ${median(bareRuns.map((r) => r.p99))} ms`,
      `bare node:http sending Chatmark's 302 (same headers, no redirect work; for reference): ${median(bareHeadersRuns.map((r) => r.rps)).toFixed(0)} req/s`,
      `chatmark GET /:code (SQLite, durable journal): ${median(cmRuns.map((r) => r.rps)).toFixed(0)} req/s, p99 ${p99} ms`,
      `ratio ${ratio.toFixed(2)}× (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')}; target ≥ 0.70), p99 target < 10 ms`,
      `clicks committed ${recorded.toLocaleString('en')} ≥ redirects answered in the measured runs ${answered.toLocaleString('en')} (warm-ups add the rest); errors ${cmRuns.reduce((s, r) => s + r.errors, 0)}`,
      `journal: ${commits} commits, ${(journaled / Math.max(1, commits)).toFixed(1)} clicks per commit`,
      `server RSS after the runs: ${(after.rss / 2 ** 20).toFixed(0)} MiB`,
    ],
    pass: ratio >= 0.7 && p99 < 10 && recorded >= answered,
  };
}
