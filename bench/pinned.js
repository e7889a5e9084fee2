// What the redirect benchmarks share: servers pinned to one core and the load generator to the
// other, the servers' own CPU time read from /proc, and autocannon runs (saturating or at a
// fixed rate below saturation).
import { execFileSync, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** Whether `taskset` (util-linux) can pin processes here; without it the figures say so. */
export const canPin = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Pins every thread of `pid` to `core` (the load generator: this process; servers: the other core). */
export function pin(pid, core) {
  if (canPin) execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
}

/** User + system CPU seconds of a process, all its threads (/proc/<pid>/stat fields 14 and 15). */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Forks a server script pinned to core 1; resolves with the child and what it reported when listening. */
export function startServer(script, env = {}) {
  const child = fork(new URL(script, import.meta.url), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/cm-prof'] : []),
      ...(env.BENCH_NODE_ARGS ? env.BENCH_NODE_ARGS.split(' ') : []),
    ],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (info) => {
      pin(child.pid, 1);
      resolve({ child, info });
    });
  });
}

export function ask(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

export function stop(child) {
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.send('stop');
  });
}

/**
 * Load on each target at once (one autocannon per server, each looping over `paths`), measuring
 * the servers' CPU over the run. `rate`: requests per second over all targets (fixed-rate load,
 * latency corrected for coordinated omission); unset: as fast as the connections go.
 */
export async function load(targets, { seconds, connections = 50, rate, paths = ['/x'] }) {
  const before = targets.map((t) => cpuSeconds(t.pid));
  const results = await Promise.all(
    targets.map((t) =>
      autocannon({
        url: `http://127.0.0.1:${t.port}`,
        connections: Math.max(1, Math.round(connections / targets.length)),
        duration: seconds,
        headers: { 'user-agent': UA },
        requests: paths.map((path) => ({ method: 'GET', path })),
        ...(rate ? { overallRate: Math.max(1, Math.round(rate / targets.length)) } : {}),
      }),
    ),
  );
  const cpu = targets.reduce((sum, t, i) => sum + cpuSeconds(t.pid) - before[i], 0);
  const answered = results.reduce((n, r) => n + r.requests.total, 0);
  return {
    rps: results.reduce((n, r) => n + r.requests.average, 0),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    answered,
    errors: results.reduce((n, r) => n + r.errors + r.timeouts, 0),
    wrongStatus: results.reduce((n, r) => n + r['1xx'] + r['2xx'] + r['4xx'] + r['5xx'], 0),
    /** Server CPU microseconds per answered request. */
    cpuUs: answered > 0 ? (cpu / answered) * 1e6 : NaN,
  };
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
