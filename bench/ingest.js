// Events ingest rate through POST /api/events (batches of 1,000) on one server process.
import { fork } from 'node:child_process';
import { machine } from './machine.js';

const KEY = 'cm_benchadmin_0123456789abcdefghijklmnop';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const BATCH = 1000;
const CONCURRENCY = 4;
const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

export async function benchIngest() {
  const child = fork(new URL('./chatmark-server.js', import.meta.url), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/cm-prof'] : [],
  });
  const { port, code } = await new Promise((resolve) => child.once('message', resolve));
  const base = `http://127.0.0.1:${port}`;
  const tokens = [];
  for (let i = 0; i < 2000; i += 1) {
    const r = await fetch(`${base}/${code}`, { redirect: 'manual', headers: { 'user-agent': UA } });
    tokens.push(r.headers.get('x-chatmark-click'));
  }
  // A realistic mix: chat starts with their click's token, qualified leads and purchases by click
  // id, and custom events by email.
  const event = (n) => {
    const token = tokens[n % tokens.length];
    const occurredAt = new Date(Date.now() - 3_600_000 + (n % 3_600_000)).toISOString();
    switch (n % 10) {
      case 0:
      case 1:
      case 2:
      case 3:
        return {
          type: 'chat_started',
          occurredAt,
          idempotencyKey: `c${n}`,
          ref: token,
          contact: { externalId: `u${n % 5000}` },
        };
      case 4:
      case 5:
      case 6:
        return { type: 'qualified', occurredAt, idempotencyKey: `q${n}`, clickId: token };
      case 7:
      case 8:
        return {
          type: 'purchase',
          occurredAt,
          idempotencyKey: `p${n}`,
          clickId: token,
          value: { amount: 8500, currency: 'USD' },
        };
      default:
        return {
          type: 'newsletter_signup',
          occurredAt,
          idempotencyKey: `n${n}`,
          contact: { email: `person${n % 5000}@example.com` },
        };
    }
  };
  const batches = [];
  for (let n = 0; n < EVENTS; n += BATCH)
    batches.push(Array.from({ length: Math.min(BATCH, EVENTS - n) }, (_, i) => event(n + i)));
  let next = 0;
  let recorded = 0;
  let errors = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        const response = await fetch(`${base}/api/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify(batch),
        });
        const body = await response.json();
        if (!response.ok) console.error(`POST /api/events: ${response.status} ${JSON.stringify(body)}`);
        recorded += body.created ?? 0;
        errors += body.errors ?? 1;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  child.send('stop');
  const rate = EVENTS / seconds;
  return {
    name: 'ingest',
    machine: machine(),
    lines: [
      `${EVENTS.toLocaleString('en')} events in batches of ${BATCH} (${CONCURRENCY} requests at a time, SQLite): ${seconds.toFixed(1)} s → ${Math.round(rate).toLocaleString('en')} events/s (target ≥ 5,000)`,
      `recorded ${recorded.toLocaleString('en')}, refused ${errors}`,
    ],
    pass: rate >= 5000 && errors === 0 && recorded === EVENTS,
  };
}
