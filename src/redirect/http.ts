import type { IncomingMessage, ServerResponse } from 'node:http';
import { isStoreUnavailable } from '../store/availability.js';
import type { Redirector, RedirectResult } from './redirector.js';

/** Short-link paths: one segment of the code alphabet (custom codes included). */
const CODE_PATH = /^\/([A-Za-z0-9_-]{3,64})(?:\?|$)/;

/** The query of the usual click (none), shared: the redirector only reads it. */
const NO_QUERY: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Writes a redirect result on a raw Node response (for `answerRedirect`). Never throws: an error while
 * writing (a header Node refuses) answers this request 500 and is returned for the caller to log,
 * because a throw here lands in a promise callback where it would end the process.
 *
 * @returns null when the result was written, else the error that turned it into a 500
 */
export function writeRedirect(response: ServerResponse, result: RedirectResult): unknown {
  try {
    writeResult(response, result);
    return null;
  } catch (error) {
    writeInternalError(response);
    return error;
  }
}

/**
 * A bare 500 for a request whose answer failed, unless the answer has started already; a 503 with
 * `Retry-After` when the failure is the store being away (an uncached code during an outage), so
 * a client or proxy knows to try again.
 */
export function writeInternalError(response: ServerResponse, cause?: unknown): void {
  const unavailable = cause !== undefined && isStoreUnavailable(cause);
  const body = unavailable ? 'Service unavailable; try again shortly' : 'Internal error';
  try {
    if (!response.headersSent) {
      response.writeHead(unavailable ? 503 : 500, {
        'content-type': 'text/plain',
        'cache-control': 'no-store',
        'content-length': String(body.length),
        ...(unavailable && { 'retry-after': '2' }),
      });
    }
    response.end(body);
  } catch {
    response.destroy();
  }
}

function writeResult(response: ServerResponse, result: RedirectResult): void {
  const headers: Record<string, string> = {
    'cache-control': 'no-store, private',
    'referrer-policy': 'no-referrer',
  };
  if ((result.status === 302 || result.status === 200) && result.clickId)
    headers['x-chatmark-click'] = result.clickId;
  if (result.status === 302) {
    headers.location = result.location;
    headers['content-length'] = '0';
    response.writeHead(302, headers);
    response.end();
    return;
  }
  headers['content-type'] = 'text/html; charset=utf-8';
  headers['content-length'] = String(Buffer.byteLength(result.html));
  response.writeHead(result.status, headers);
  response.end(result.html);
}

export function outcomeOf(result: RedirectResult): string {
  if (result.status === 302) return result.committed ? 'redirect' : 'unrecorded';
  if (result.status !== 200) return String(result.status);
  if (!result.committed) return 'unrecorded';
  return result.preview ? 'preview' : 'app_page';
}

/**
 * The client's address behind `trustedHops` reverse proxies: each proxy appends the address it
 * got the request from to X-Forwarded-For, so only the last `trustedHops` entries were written by
 * proxies we trust; anything further left is whatever the client sent. Walking from the socket
 * leftwards, the first address not vouched for is the client (Fastify's `trustProxy` hop count,
 * proxy-addr, decides the same way).
 *
 * @example clientAddress('10.0.0.2', '6.6.6.6, 203.0.113.7', 1) // '203.0.113.7'
 */
export function clientAddress(
  socketAddress: string,
  forwardedFor: string | string[] | undefined,
  trustedHops: number,
): string {
  if (trustedHops <= 0 || forwardedFor === undefined) return socketAddress;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((entry) => entry.trim());
  // chain[length - 1] is what the nearest proxy saw; the socket address is hop 0.
  let address = socketAddress;
  for (let hop = 1; hop <= trustedHops && chain.length - hop >= 0; hop += 1) {
    address = chain[chain.length - hop] ?? '';
  }
  return address;
}

/** Calls the error callback; a callback that throws (a broken logger) is ignored. */
function report(onError: (error: unknown) => void, error: unknown): void {
  try {
    onError(error);
  } catch {
    // Nothing left to tell: the request is answered either way.
  }
}

/** Answers `GET|HEAD /<code>` on a raw request: see `answerRedirects`. */
export type RedirectAnswer = (request: IncomingMessage, response: ServerResponse, code: string) => void;

/**
 * The one redirect handler: the raw fast path (production traffic) and the Fastify route (`inject`,
 * the OpenAPI document, codes outside the fast path's pattern) both answer with it, so what tests
 * exercise is what serves traffic. Never throws and never rejects: every failure becomes this
 * request's 500 (or 503 while the store is away) and goes to `onError`.
 */
export function answerRedirects(
  redirect: Redirector,
  options: {
    /** Reverse proxies in front of the server (config TRUST_PROXY); see `clientAddress`. */
    trustedHops: number;
    onResult: (result: RedirectResult) => void;
    onError: (error: unknown) => void;
  },
): RedirectAnswer {
  return (request, response, code) => {
    const url = request.url ?? '';
    const q = url.indexOf('?');
    const query = q < 0 ? NO_QUERY : Object.fromEntries(new URLSearchParams(url.slice(q + 1)));
    redirect({
      method: request.method ?? 'GET',
      code,
      ip: clientAddress(
        request.socket.remoteAddress ?? '',
        request.headers['x-forwarded-for'],
        options.trustedHops,
      ),
      userAgent: request.headers['user-agent'],
      referer: request.headers.referer,
      query,
    })
      // Both handlers catch everything they call (only a logger can throw there), so the chain
      // needs no third promise for a `.catch`: nothing reaches the process as an unhandled rejection.
      .then(
        (result) => {
          try {
            options.onResult(result);
          } catch (error) {
            report(options.onError, error);
          }
          const failed = writeRedirect(response, result);
          if (failed !== null) report(options.onError, failed);
        },
        (error: unknown) => {
          report(options.onError, error);
          writeInternalError(response, error);
        },
      );
  };
}

/**
 * The redirect without the framework: `GET|HEAD /<code>` is answered straight from the Node
 * server, everything else goes to Fastify. The redirect is the one path where the framework's
 * per-request work (routing, hooks, schema checks) costs a measurable share of the throughput.
 *
 * @returns a request listener for `http.createServer`
 */
export function redirectFastPath(answer: RedirectAnswer, reserved: ReadonlySet<string>) {
  return (
    request: IncomingMessage,
    response: ServerResponse,
    next: (request: IncomingMessage, response: ServerResponse) => void,
  ): void => {
    const method = request.method;
    const match = method === 'GET' || method === 'HEAD' ? CODE_PATH.exec(request.url ?? '') : null;
    const code = match?.[1];
    if (!code || reserved.has(code.toLowerCase())) next(request, response);
    else answer(request, response, code);
  };
}
