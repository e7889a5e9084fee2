import { getSession, signOut } from './session.js';

/**
 * An API failure in the server's one error shape, `{"error":{"code","message","field"}}`, plus
 * the HTTP status. Network failures get the code `network` and status 0.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** The request field the error is about (`phone`, `utm.source`, …), when the server names one. */
  readonly field: string | undefined;

  constructor(code: string, message: string, status: number, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.field = field;
  }
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** A key to use instead of the session's (sign-in checks a key before keeping it). */
  key?: string;
}

function isErrorBody(value: unknown): value is { error: { code: string; message: string; field?: string } } {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/**
 * Calls the API with the session's Bearer key and returns the parsed JSON body.
 * Throws ApiError on any non-2xx answer; a 401 on the session's own key signs out, since the key
 * was revoked or the server's store was reset.
 *
 * @example const { campaigns } = await apiRequest<{ campaigns: Campaign[] }>('GET', '/api/campaigns');
 */
export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const key = options.key ?? getSession()?.key;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('network', 'The Chatmark server could not be reached', 0);
  }
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    // A proxy's HTML error page, say: reported below by status.
  }
  if (response.ok) return json as T;
  const error = isErrorBody(json)
    ? new ApiError(json.error.code, json.error.message, response.status, json.error.field)
    : new ApiError('http_' + response.status, `The server answered ${response.status}`, response.status);
  if (response.status === 401 && options.key === undefined && key !== undefined) signOut();
  throw error;
}
