// A paced (open-loop) load generator for latency below saturation, as wrk2 measures it: request k
// is due at start + k / rate, spread evenly over the run, and its latency counts from when it was
// due, not from when a connection was free to send it — so a server that stalls is charged for
// every request that waited behind the stall (no coordinated omission).
//
// autocannon's `overallRate` is not this: each connection sends back to back until it has made its
// share for the current second and then idles until the next, so "half the rate" is saturation for
// half of each second and nothing for the rest.
import { connect } from 'node:net';

/**
 * Runs `rate` requests per second over all `targets` for `warmupSeconds` + `seconds`, over
 * `connections` keep-alive sockets per target (one request in flight per socket). Resolves with
 * the latencies' percentiles (ms, from the due time) of the requests due after the warm-up (as
 * wrk2 leaves out its calibration: the first few hundred milliseconds of a run catch up on the
 * generator's own start, for a bare server too), the answered count, errors and non-302 answers.
 */
export async function paced(
  targets,
  { seconds, rate, connections = 50, paths, userAgent, warmupSeconds = 1 },
) {
  const sockets = [];
  for (const target of targets) {
    // Each request's bytes built once; the sockets of a target go round its paths.
    const requests = (paths ?? target.paths).map((path) =>
      Buffer.from(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nUser-Agent: ${userAgent}\r\n\r\n`,
      ),
    );
    for (let i = 0; i < connections; i += 1) {
      const socket = await open(target.port);
      socket.requests = requests;
      sockets.push(socket);
    }
  }
  const latencies = new Float64Array(Math.ceil(rate * (seconds + warmupSeconds)) + 1);
  let measured = 0;
  const idle = [...sockets.keys()];
  const queue = []; // due times (ms) of requests waiting for a free socket
  let answered = 0;
  let errors = 0;
  let wrongStatus = 0;
  let sent = 0;

  const total = Math.floor(rate * (seconds + warmupSeconds));
  const start = performance.now();
  const measureFrom = start + warmupSeconds * 1000;

  const send = (index, due) => {
    const socket = sockets[index];
    socket.due = due;
    socket.write(socket.requests[sent % socket.requests.length]);
    sent += 1;
  };
  for (const [index, socket] of sockets.entries()) {
    socket.on('answer', (status) => {
      if (status !== 302) wrongStatus += 1;
      if (socket.due >= measureFrom) {
        latencies[measured] = performance.now() - socket.due;
        measured += 1;
      }
      answered += 1;
      if (queue.length > 0) send(index, queue.shift());
      else idle.push(index);
    });
    socket.on('error', () => (errors += 1));
  }

  await new Promise((resolve) => {
    let due = 0; // requests made due so far
    const tick = () => {
      const now = performance.now();
      const target = Math.min(total, Math.floor(((now - start) / 1000) * rate));
      for (; due < target; due += 1) {
        const at = start + (due / rate) * 1000;
        if (idle.length > 0) send(idle.shift(), at);
        else queue.push(at);
      }
      if (answered + errors >= total) resolve();
      // A stuck server: report what came back.
      else if (now - start > (seconds + warmupSeconds) * 1000 + 10_000) resolve();
      // A timer, not a spin: a spinning generator would hold its core, and PostgreSQL's backends
      // (not pinned) share it. Requests due within a tick go out together at its end, and their
      // latency counts from when each was due, so the generator's own lateness is charged too.
      else setTimeout(tick, 1);
    };
    tick();
  });
  for (const socket of sockets) socket.destroy();
  const sorted = latencies.subarray(0, measured).sort();
  const at = (q) => (measured === 0 ? NaN : sorted[Math.min(measured - 1, Math.floor(q * measured))]);
  return {
    answered,
    errors,
    wrongStatus,
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    max: sorted[measured - 1],
  };
}

/** A keep-alive socket that emits 'answer' (status) per complete response. */
function open(port) {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true }, () => resolve(socket));
    socket.once('error', reject);
    let buffer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      buffer += chunk;
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.slice(0, end);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        buffer = buffer.slice(end + 4 + length);
        socket.emit('answer', Number(head.slice(9, 12)));
      }
    });
  });
}
