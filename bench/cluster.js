// The click path on each store: SQLite, PostgreSQL with one server and with two servers on one
// database, over several links. Server CPU per redirect (core 1, load generator on core 0),
// throughput, p99 at a fixed rate below saturation, every answered click committed, and
// PostgreSQL's deadlock counter for a database of the benchmark's own.
import pg from 'pg';
import { machine } from './machine.js';
import { paced } from './paced.js';
import { ask, load, pin, startServer, stop, UA } from './pinned.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const LINKS = 4;
const POSTGRES_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

async function admin(sql, params) {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function measure(label, servers) {
  const targets = servers.map((s) => ({
    pid: s.child.pid,
    port: s.info.port,
    paths: s.info.links.map((l) => `/${l.code}`),
  }));
  const paths = targets[0].paths;
  const before = await ask(servers[0].child, 'count');
  const warm = await load(targets, { seconds: 2, paths });
  const run = await load(targets, { seconds: SECONDS, paths });
  const rate = Math.round(run.rps / 2);
  const fixed = await paced(targets, { seconds: SECONDS, rate, userAgent: UA });
  // Every server's journal is committed when it answered; count the rows once.
  const after = await ask(servers[0].child, 'count');
  const answered = warm.answered + run.answered + fixed.answered;
  const committed = after.clicks - before.clicks;
  const journals = await Promise.all(servers.map((s) => ask(s.child, 'count')));
  const spilled = journals.reduce((n, c) => n + c.spilled, 0);
  // Journal commits since each server started (warm-up included), summed over the servers.
  const commits = journals.reduce((n, c) => n + c.commits, 0);
  const journaled = journals.reduce((n, c) => n + c.journaled, 0);
  const flushSeconds = journals.reduce((n, c) => n + c.flushSeconds, 0);
  return {
    label,
    cpuUs: run.cpuUs,
    rps: run.rps,
    p99: fixed.p99,
    p999: fixed.p999,
    rate,
    answered,
    committed,
    spilled,
    perCommit: journaled / Math.max(1, commits),
    commitMs: (flushSeconds / Math.max(1, commits)) * 1000,
    errors: warm.errors + run.errors + fixed.errors + run.wrongStatus + fixed.wrongStatus,
  };
}

export async function benchCluster() {
  pin(process.pid, 0);
  const results = [];
  const sqlite = await startServer('./chatmark-server.js', { BENCH_LINKS: String(LINKS) });
  results.push(await measure('SQLite, 1 server', [sqlite]));
  await stop(sqlite.child);

  let postgresProblem = null;
  const database = `chatmark_bench_${process.pid}`;
  try {
    await admin(`create database ${database}`);
  } catch (error) {
    postgresProblem = `PostgreSQL not reachable at ${POSTGRES_URL}: ${error.message}`;
  }
  let deadlocks = NaN;
  if (!postgresProblem) {
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${database}`;
    const env = { BENCH_DATABASE_URL: url.toString(), BENCH_DATABASE_SCHEMA: '' };
    const deadlockCount = async () =>
      Number(
        (await admin('select deadlocks from pg_stat_database where datname = $1', [database]))[0].deadlocks,
      );
    const startDeadlocks = await deadlockCount();
    const one = await startServer('./chatmark-server.js', { ...env, BENCH_LINKS: String(LINKS) });
    results.push(await measure('PostgreSQL, 1 server', [one]));
    const second = await startServer('./chatmark-server.js', {
      ...env,
      BENCH_LINK_CODES: JSON.stringify(one.info.links),
    });
    results.push(await measure('PostgreSQL, 2 servers', [one, second]));
    await Promise.all([stop(one.child), stop(second.child)]);
    // Backends report their counters when they end: the pools are closed now.
    deadlocks = (await deadlockCount()) - startDeadlocks;
    await admin(`drop database if exists ${database} with (force)`);
  }

  const [sqliteResult, pgOne] = results;
  const pgRatio = pgOne ? pgOne.cpuUs / sqliteResult.cpuUs : NaN;
  const lines = [
    `${LINKS} links, ${SECONDS} s saturating at 50 connections (CPU, throughput), then ${SECONDS} s paced at half that rate (p99 from each request's due time, bench/paced.js); servers on core 1, load on core 0`,
    ...results.map(
      (r) =>
        `${r.label.padEnd(22)} ${r.cpuUs.toFixed(1)} µs CPU/redirect, ${r.rps.toFixed(0)} req/s, p99 ${r.p99.toFixed(2)} ms (p99.9 ${r.p999.toFixed(2)}) paced at ${r.rate} req/s; committed ${r.committed.toLocaleString('en')} ≥ answered ${r.answered.toLocaleString('en')}, spilled ${r.spilled}, errors ${r.errors}; ${r.perCommit.toFixed(1)} clicks per commit, ${r.commitMs.toFixed(2)} ms per commit`,
    ),
    postgresProblem
      ? `PostgreSQL skipped: ${postgresProblem}`
      : `PostgreSQL CPU per click / SQLite's: ${pgRatio.toFixed(2)}× (target ≤ 1.5); deadlocks (pg_stat_database, this run's database): ${deadlocks} (target 0)`,
  ];
  return {
    name: 'cluster (click path per store)',
    machine: machine(),
    lines,
    pass:
      !postgresProblem &&
      pgRatio <= 1.5 &&
      deadlocks === 0 &&
      results.every((r) => r.committed >= r.answered && r.errors === 0 && r.p99 < 10),
  };
}
