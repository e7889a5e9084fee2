// The redirect against bare node:http servers, measured on the server: the load generator runs on
// core 0 and the servers on core 1 (taskset), and each server's own CPU time per answered request
// is read from /proc. Throughput is a second figure (it still depends on the load generator).
import { request } from 'node:http';
import { machine } from './machine.js';
import { paced } from './paced.js';
import { ask, canPin, cpuSeconds, load, median, pin, startServer, stop, UA } from './pinned.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 50;

/**
 * Rounds alternate between the three servers (all kept running), so drift in the machine's speed
 * hits them alike; figures are medians over the rounds. Then a paced run (open loop, see
 * paced.js) at half of Chatmark's throughput gives the latency below saturation.
 */
export async function benchRedirect() {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  pin(process.pid, 0);
  const bare = await startServer('./bare-server.js');
  const headers = await startServer('./bare-headers-server.js');
  const cm = await startServer('./chatmark-server.js');
  const targets = {
    bare: { pid: bare.child.pid, port: bare.info.port, paths: ['/x'] },
    headers: { pid: headers.child.pid, port: headers.info.port, paths: ['/x'] },
    chatmark: { pid: cm.child.pid, port: cm.info.port, paths: [`/${cm.info.code}`] },
  };
  const sameResponse = await compareResponses(targets.headers, targets.chatmark);
  const before = await ask(cm.child, 'count');
  const runs = { bare: [], headers: [], chatmark: [] };
  let answered = 0;
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, target] of Object.entries(targets)) {
      const warm = await load([target], { seconds: 2, connections: CONNECTIONS, paths: target.paths });
      const run = await load([target], { seconds: SECONDS, connections: CONNECTIONS, paths: target.paths });
      runs[name].push(run);
      if (name === 'chatmark') answered += warm.answered + run.answered;
    }
  }
  const rate = Math.round(median(runs.chatmark.map((r) => r.rps)) / 2);
  const fixed = {};
  for (const name of ['headers', 'chatmark']) {
    const target = targets[name];
    const before = cpuSeconds(target.pid);
    const run = await paced([target], { seconds: SECONDS, rate, userAgent: UA });
    fixed[name] = { ...run, cpuUs: ((cpuSeconds(target.pid) - before) / run.answered) * 1e6 };
    if (name === 'chatmark') answered += run.answered;
  }
  const after = await ask(cm.child, 'count');
  await Promise.all([stop(bare.child), stop(headers.child), stop(cm.child)]);

  const cpu = (name) => median(runs[name].map((r) => r.cpuUs));
  const rps = (name) => median(runs[name].map((r) => r.rps));
  const p99 = (name) => median(runs[name].map((r) => r.p99));
  const cpuRatio = cpu('chatmark') / cpu('headers');
  const fixedRatio = fixed.chatmark.cpuUs / fixed.headers.cpuUs;
  const recorded = after.clicks - before.clicks;
  const commits = after.commits - before.commits;
  const journaled = after.journaled - before.journaled;
  const errors =
    runs.chatmark.reduce((n, r) => n + r.errors + r.wrongStatus, 0) +
    fixed.chatmark.errors +
    fixed.chatmark.wrongStatus;
  return {
    name: 'redirect',
    machine: machine(),
    lines: [
      canPin
        ? 'load generator pinned to core 0, each server to core 1 (taskset); server CPU from /proc/<pid>/stat'
        : 'taskset not found: NOT pinned, CPU figures include contention with the load generator',
      `${rounds} rounds of ${SECONDS} s at ${CONNECTIONS} connections, alternating (medians):`,
      `bare node:http 302:                   ${cpu('bare').toFixed(1)} µs CPU/request, ${rps('bare').toFixed(0)} req/s, p99 ${p99('bare')} ms`,
      `bare node:http with Chatmark's headers: ${cpu('headers').toFixed(1)} µs CPU/request, ${rps('headers').toFixed(0)} req/s, p99 ${p99('headers')} ms`,
      `chatmark GET /:code (SQLite, durable):  ${cpu('chatmark').toFixed(1)} µs CPU/request, ${rps('chatmark').toFixed(0)} req/s, p99 ${p99('chatmark')} ms`,
      `CPU per request: chatmark / same-headers ${cpuRatio.toFixed(2)}× (target ≤ 1.5), chatmark / bare 302 ${(cpu('chatmark') / cpu('bare')).toFixed(2)}×`,
      `throughput (second figure): chatmark / bare 302 ${(rps('chatmark') / rps('bare')).toFixed(2)}×, chatmark / same-headers ${(rps('chatmark') / rps('headers')).toFixed(2)}×`,
      `paced at ${rate} req/s (half of chatmark's throughput, evenly spaced, latency from each request's due time), ${SECONDS} s after 1 s of warm-up:`,
      `  chatmark p50 ${ms(fixed.chatmark.p50)}, p99 ${ms(fixed.chatmark.p99)} (target < 10 ms), p99.9 ${ms(fixed.chatmark.p999)}, max ${ms(fixed.chatmark.max)}; ${fixed.chatmark.cpuUs.toFixed(1)} µs CPU/request`,
      `  same-headers p50 ${ms(fixed.headers.p50)}, p99 ${ms(fixed.headers.p99)}, p99.9 ${ms(fixed.headers.p999)}, max ${ms(fixed.headers.max)}; ${fixed.headers.cpuUs.toFixed(1)} µs CPU/request (CPU ratio ${fixedRatio.toFixed(2)}×)`,
      `clicks committed ${recorded.toLocaleString('en')} ≥ redirects answered ${answered.toLocaleString('en')}; errors ${errors}; spilled ${after.spilled - before.spilled}`,
      `journal: ${commits} commits, ${(journaled / Math.max(1, commits)).toFixed(1)} clicks per commit`,
      `server RSS after the runs: ${(after.rss / 1e6).toFixed(0)} MB`,
      sameResponse === null
        ? "same-headers baseline: the same status, header names in the same order and value lengths as Chatmark's answer"
        : `same-headers baseline DIFFERS from Chatmark's answer: ${sameResponse}`,
    ],
    pass:
      cpuRatio <= 1.5 &&
      fixed.chatmark.p99 < 10 &&
      recorded >= answered &&
      errors === 0 &&
      sameResponse === null,
  };
}

const ms = (value) => `${value.toFixed(2)} ms`;

/** The status and raw headers (name, value) of one GET, as the load generator sends it. */
function answer({ port, paths }) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: paths[0], headers: { 'user-agent': UA } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, raw: res.rawHeaders }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Whether the same-headers baseline answers exactly as Chatmark does: the same status, the same
 * header names in the same order, and values of the same length (the Date header's value aside),
 * so that neither side of the ratio writes more bytes than the other. Null when they match.
 */
async function compareResponses(baseline, chatmark) {
  const [a, b] = await Promise.all([answer(baseline), answer(chatmark)]);
  const shape = ({ status, raw }) => {
    const parts = [String(status)];
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i].toLowerCase();
      parts.push(name === 'date' ? name : `${name}:${raw[i + 1].length}`);
    }
    return parts.join(' ');
  };
  return shape(a) === shape(b) ? null : `baseline ${shape(a)} / chatmark ${shape(b)}`;
}
