import { ChatmarkError } from '../domain/errors.js';
import { asRecord } from './fields.js';
import { secretTokenMatches } from './signature.js';

/**
 * Meta's webhook subscription handshake (WhatsApp Cloud API, Messenger, Instagram): a GET with
 * `hub.mode=subscribe`, `hub.verify_token` (the token configured in the app dashboard) and
 * `hub.challenge`, which must be echoed back as the body of a 200 (send it as `text/plain`).
 *
 * Accepts the flat query Fastify produces (`{'hub.mode': …}`) and the nested one of qs-style
 * parsers (`{hub: {mode: …}}`). Throws ChatmarkError `invalid_verify_token` (field `hub.mode` or
 * `hub.verify_token`) when the request is not a subscription with the right token, and
 * `missing_field` (field `hub.challenge`) when there is nothing to echo. Map
 * `invalid_verify_token` to 403: that is what Meta expects on a mismatch.
 *
 * @example verifyHubChallenge({ 'hub.mode': 'subscribe', 'hub.verify_token': 't', 'hub.challenge': '42' }, 't') === '42'
 */
export function verifyHubChallenge(query: unknown, verifyToken: string): string {
  const flat = asRecord(query);
  const nested = asRecord(flat?.hub);
  const param = (name: string): unknown => flat?.[`hub.${name}`] ?? nested?.[name];

  if (param('mode') !== 'subscribe') {
    throw new ChatmarkError('invalid_verify_token', 'hub.mode must be "subscribe"', 'hub.mode');
  }
  if (!secretTokenMatches(param('verify_token'), verifyToken)) {
    throw new ChatmarkError(
      'invalid_verify_token',
      'hub.verify_token does not match the configured verify token',
      'hub.verify_token',
    );
  }
  const challenge = param('challenge');
  if (typeof challenge !== 'string' || challenge === '') {
    throw new ChatmarkError('missing_field', 'hub.challenge is required', 'hub.challenge');
  }
  return challenge;
}
