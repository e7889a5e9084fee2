import { ChatmarkError } from '../domain/errors.js';

/** Socket errors: the database host refused, dropped or never answered the connection. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * SQLSTATEs that mean "the server is going away or can't take us", not "your query is wrong":
 * class 08 (connection exception), admin/crash shutdown, starting up, too many connections, and
 * 57014 (statement_timeout, or a cancel).
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

/** What node-postgres and pg-pool throw without a code when a connection dies or never comes. */
const DRIVER_MESSAGES = [
  'Connection terminated',
  'timeout expired',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'is not queryable',
];

/**
 * True when `error` says the database can't be reached right now (rather than that a query is
 * wrong): the one place that knows how such failures look, so every caller maps them alike.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (
        NETWORK_CODES.has(code) ||
        UNAVAILABLE_SQLSTATES.has(code) ||
        /^08[0-9A-Z]{3}$/.test(code) ||
        // SQLite's write lock held by another process past the driver's wait (sqlite-driver.ts).
        code.startsWith('SQLITE_BUSY')
      ) {
        return true;
      }
    }
    if (typeof message === 'string' && DRIVER_MESSAGES.some((m) => message.includes(m))) return true;
    // An AggregateError (one per address tried) or a wrapped cause.
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((inner) => isStoreUnavailable(inner))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The API's answer while the database is away: 503 `store_unavailable`, so clients retry. */
export function storeUnavailable(cause: unknown): ChatmarkError {
  const timedOut = (cause as { code?: unknown } | null)?.code === '57014';
  const error = new ChatmarkError(
    'store_unavailable',
    timedOut
      ? 'The database did not answer in time; try again'
      : 'The database is unavailable right now; try again shortly',
  );
  error.cause = cause;
  return error;
}

/**
 * `host:port` of a PostgreSQL URL for messages: never the user name or password.
 *
 * @example postgresAddress('postgres://u:secret@db.internal/app') // 'db.internal:5432'
 */
export function postgresAddress(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.searchParams.get('host') ?? (parsed.hostname || 'localhost');
    return `${host}:${parsed.port || '5432'}`;
  } catch {
    return 'the configured DATABASE_URL';
  }
}

/** A start-up error that names what failed, e.g. "cannot reach PostgreSQL at 127.0.0.1:5499: …". */
export function unreachablePostgres(url: string, cause: unknown): Error {
  const reason = describeCause(cause);
  return new Error(`cannot reach PostgreSQL at ${postgresAddress(url)}: ${reason}`, { cause });
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const { code } = cause as { code?: unknown };
  // Node's AggregateError (IPv4 and IPv6 both refused) has an empty message; its parts say it.
  const inner = (cause as { errors?: unknown }).errors;
  if (!cause.message && Array.isArray(inner) && inner[0] instanceof Error) return describeCause(inner[0]);
  if (/timeout/i.test(cause.message)) return `no answer within the connect timeout (${cause.message})`;
  if (typeof code === 'string' && NETWORK_CODES.has(code) && !cause.message.includes(code)) {
    return `${code} ${cause.message}`;
  }
  return cause.message || String(code ?? 'unknown error');
}
