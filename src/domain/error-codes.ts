/**
 * The error catalogue: every code Chatmark answers, with its HTTP status, the CLI's exit code and
 * what it means. Nothing outside it gets a status by default: a code that is not listed does not
 * compile (`ChatmarkError.code` is an `ErrorCode`), and README's "Errors" table lists the same
 * codes (test/error-catalogue.test.ts fails when the two differ).
 *
 * Naming an id that does not exist, by where the id is:
 * - in what the request addresses — the URL's path or query string (`GET /api/links/7`,
 *   `?campaignId=7`), or a CLI argument or option (`keys revoke 7`, `report funnel --campaign x`)
 *   → 404 `<thing>_not_found`;
 * - in the data the request carries — a JSON body (`{"campaignId": 7}`) or a CSV row
 *   → 422 `unknown_<thing>`.
 * A URL that matches no route at all is 404 `route_not_found`. A list filter
 * (`GET /api/clicks?linkId=`) refuses nothing: it finds nothing.
 *
 * CLI exit codes (0 is success; 1 is also a command's "no", such as `utm lint` finding problems):
 * - 2: the input was refused — every 4xx code, and `invalid_config` (the environment is input);
 * - 1: `internal`, an unexpected error (a bug);
 * - 75: `store_unavailable`, the database could not be reached: try again (sysexits' EX_TEMPFAIL);
 * - 78: `not_configured`, a feature is off until it is configured (sysexits' EX_CONFIG).
 *
 * @example ERROR_CATALOGUE.link_not_found // { status: 404, exit: 2, meaning: 'No link with the id (or code) the URL or command names' }
 */

interface ErrorSpec {
  /** The HTTP status the API answers with. */
  readonly status: number;
  /** The CLI's exit code. */
  readonly exit: number;
  /** One line: when Chatmark answers it. */
  readonly meaning: string;
}

/** Exit codes of the CLI, by kind of failure (see the catalogue's comment). */
export const EXIT = { refused: 2, internal: 1, retryLater: 75, notConfigured: 78 } as const;

type RefusedStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

/** Input refused: a 4xx status, exit 2. */
const refused = (status: RefusedStatus, meaning: string): ErrorSpec => ({
  status,
  exit: EXIT.refused,
  meaning,
});
/** The common case: input that is well-formed JSON but not acceptable (422), exit 2. */
const invalid = (meaning: string): ErrorSpec => refused(422, meaning);

export const ERROR_CATALOGUE = Object.freeze({
  // 400: the request itself cannot be read.
  invalid_json: refused(400, 'The request body is not valid JSON'),
  bad_request: refused(400, 'The request cannot be read (a malformed header, path or query)'),

  // 401, 403: who is asking.
  unauthorized: refused(401, 'No API key, or an unknown or revoked one'),
  invalid_signature: refused(401, "A webhook's signature header does not match its body"),
  forbidden: refused(403, "The API key's role does not allow this, or a webhook's verify token is wrong"),
  invalid_verify_token: refused(
    403,
    'A Meta hub challenge with another hub.mode or verify token (the webhook route answers it as `forbidden`)',
  ),

  // 404: what the URL or command names does not exist.
  route_not_found: refused(404, 'No route has this method and path'),
  link_not_found: refused(404, 'No link with the id (or code) the URL or command names'),
  campaign_not_found: refused(404, 'No campaign with the id (or slug) the URL, query or command names'),
  experiment_not_found: refused(404, 'No experiment with the id the URL names'),
  baseline_not_found: refused(404, 'The campaign has no baseline snapshot yet'),
  key_not_found: refused(404, 'No active API key with the id or prefix the URL or command names'),

  // 409: the request is fine, the state is not.
  code_taken: refused(409, 'The short code (or discount code) is taken'),
  slug_taken: refused(409, 'Another campaign has the slug'),
  conflict: refused(409, 'An API key with the same prefix exists already'),
  last_admin_key: refused(409, 'The last active admin key cannot be revoked'),
  store_not_empty: refused(409, '`chatmark demo` fills only a store without campaigns or links'),

  // 413, 415, 429: size, type and rate.
  payload_too_large: refused(413, 'The request body is over 1 MiB'),
  unsupported_media_type: refused(415, 'A body that is not JSON (Content-Type: application/json)'),
  rate_limited: refused(429, 'Too many requests from this key or client; try again after Retry-After'),

  // 422: references to what does not exist, in the data the request carries.
  unknown_campaign: invalid('A campaign id or slug in a body or CSV row that no campaign has'),
  unknown_link: invalid('A link id or code in a body or CSV row that no link has'),
  unknown_click: invalid('A click id or ref token that is not a click Chatmark recorded'),
  unknown_discount_code: invalid('A discount code that was never created'),

  // 422: request validation (the zod schemas) and options.
  invalid_request: invalid('The body, query or path does not match the schema; `field` names where'),
  missing_field: invalid('A required field is missing or empty'),
  invalid_option: invalid('An option has a value out of its range'),
  unsupported_option: invalid('An option this channel or command does not take (or not with the others)'),
  conflicting_options: invalid('Two options that exclude each other were both given'),
  usage: invalid('The command line cannot be parsed: an unknown command or option, or a missing value'),
  invalid_unicode: invalid('A string or key with a lone surrogate (not well-formed Unicode)'),
  too_long: invalid('A CSV cell is longer than its column allows'),
  invalid_number: invalid('Not a number, or not a number the field allows'),
  invalid_count: invalid('A count that is not a whole number ≥ 0, or more successes than trials'),
  invalid_probability: invalid('A probability or power outside its range'),
  invalid_weights: invalid("Sample-ratio weights that don't match the arms or are not > 0"),

  // 422: links and channels.
  invalid_channel: invalid('Not one of the channels'),
  invalid_phone: invalid('Not a possible phone number (for the country given)'),
  invalid_country: invalid('Not a two-letter country code'),
  invalid_email: invalid('Not an email address'),
  invalid_subject: invalid('An email subject with a line break'),
  invalid_url: invalid('Not an http(s) URL, or one with control characters'),
  invalid_username: invalid('Not a Telegram or Instagram username'),
  invalid_page: invalid('Not a Messenger Page name or id'),
  invalid_line_id: invalid('Not a LINE Official Account id'),
  invalid_platform: invalid('Not an SMS platform (ios, android, generic)'),
  invalid_ref: invalid('Not a valid ref token'),
  invalid_start_payload: invalid('A Telegram start payload outside the safe alphabet or reserved'),
  invalid_context: invalid('A Viber context outside the safe alphabet'),
  text_too_long: invalid('Prefilled text that makes the link (or the QR code) too long'),
  invalid_code: invalid('A custom short code that is not 3–64 of A–Z a–z 0–9 _ -'),
  reserved_code: invalid('A custom short code the server uses as a path'),
  invalid_expiry: invalid('A link expiry that is not in the future'),
  invalid_cursor: invalid('A page cursor that is not a nextCursor from an earlier page'),
  invalid_slug: invalid('A campaign slug that breaks the naming convention'),
  invalid_role: invalid('Not a role: viewer, editor or admin'),

  // 422: events, money and identities.
  invalid_time: invalid("An event time before 2000-01-01 or over a day after the server's clock"),
  invalid_currency: invalid('Not an ISO 4217 currency code'),
  invalid_amount: invalid('An amount that is not exact minor units of its currency, or negative'),
  negative_amount: invalid('A negative amount on an event other than a refund'),
  invalid_money: invalid('A conversion value that is not whole minor units with a currency'),
  invalid_total: invalid('A Shopify order whose total is missing or not exact money in its currency'),
  properties_too_deep: invalid('Event properties nested more than 5 levels'),
  properties_too_large: invalid('Event properties over 8 KiB of JSON'),
  personal_data: invalid('An email address or phone number in event properties or an idempotency key'),
  discount_code_not_yet_valid: invalid('A discount code redeemed before it is valid'),
  discount_code_expired: invalid('A discount code redeemed after it expired'),
  discount_code_used: invalid('A single-use discount code redeemed a second time'),

  // 422: reports, attribution and experiments.
  invalid_date: invalid('Not an ISO 8601 date or time, or a day that does not exist'),
  invalid_range: invalid('`from` not before `to`, or a time outside 2000-01-01 … 2100-12-31'),
  range_too_long: invalid('A period longer than 366 days'),
  invalid_group_by: invalid('Not a groupBy the report takes'),
  invalid_model: invalid('Not an attribution model'),
  invalid_window: invalid('Not an attribution window (a whole number and a unit, e.g. 30d)'),
  window_too_long: invalid('An attribution window longer than the touches Chatmark keeps'),
  invalid_half_life: invalid('A time-decay half-life that is not a positive number'),
  invalid_conversion: invalid('A conversion time that is not epoch milliseconds'),
  invalid_touch: invalid('A touch with an unknown type or a time that is not epoch milliseconds'),
  duplicate_touch: invalid('The same touch listed twice'),
  mixed_attribution_parameters: invalid(
    'Results computed with different models or windows aggregated together',
  ),
  duplicate_link: invalid('An experiment lists a link twice'),
  link_not_in_campaign: invalid("An experiment's link belongs to another campaign"),
  overlapping_arms: invalid("A link in both an experiment's baseline and its variant"),

  // 422: CSV imports (`chatmark import`).
  unreadable_file: invalid('The file cannot be read'),
  invalid_csv: invalid('A CSV row that cannot be parsed (an unclosed quote, a row of the wrong width)'),
  missing_header: invalid('A CSV file without a header row'),
  invalid_header: invalid('A CSV column without a name'),
  duplicate_column: invalid('A CSV file with two columns of the same name'),
  missing_column: invalid('A CSV file without a column the import needs'),
  conflicting_campaign: invalid('A CSV row whose campaign slug and campaign_id name different campaigns'),
  conflicting_link: invalid(
    'A CSV row whose link code and link_id differ, or whose link is in another campaign',
  ),
  conflicting_spend: invalid('A CSV row whose spend and spend_minor differ'),

  // 5xx: Chatmark's side. Only `internal` hides its message (an unexpected error may hold secrets).
  internal: {
    status: 500,
    exit: EXIT.internal,
    meaning: 'An unexpected error; the log has it by request id',
  },
  invalid_config: {
    status: 500,
    exit: EXIT.refused,
    meaning: 'The configuration (environment, secret key file) is refused at start; `field` names it',
  },
  not_configured: {
    status: 503,
    exit: EXIT.notConfigured,
    meaning: 'A webhook that is off until its secret is set',
  },
  store_unavailable: {
    status: 503,
    exit: EXIT.retryLater,
    meaning: 'The database cannot be reached right now; try again (Retry-After)',
  },
} satisfies Record<string, ErrorSpec>);

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Every code, in the catalogue's order (OpenAPI's enum, the README check). */
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}
