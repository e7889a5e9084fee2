/**
 * Request headers that carry secrets: API keys, session cookies, and the webhook signatures and
 * secret tokens of the platforms (with the body, a signature is a valid request to replay).
 */
export const SECRET_HEADERS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-hub-signature-256',
  'x-hub-signature',
  'x-telegram-bot-api-secret-token',
  'x-viber-content-signature',
  'x-shopify-hmac-sha256',
] as const;

/**
 * pino's redact paths for those headers, wherever a log line may carry a headers object: the
 * request (`req`), a bare `headers` field, or one level down (`err.headers`, `request.headers`,
 * `response.headers` of an HTTP client's error). The request serializer keeps no headers at all
 * (app.ts); this list is the net under it.
 */
export const LOG_REDACT_PATHS: string[] = SECRET_HEADERS.flatMap((name) => [
  `req.headers["${name}"]`,
  `headers["${name}"]`,
  `*.headers["${name}"]`,
]);
