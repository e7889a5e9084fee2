import { createHash } from 'node:crypto';

/**
 * A delivery id for an event the platform sends without one (Messenger `messaging_referrals`),
 * derived from the fields that identify it so that a redelivery hashes the same. The parts are
 * JSON-encoded before hashing, so `['a|b', 'c']` and `['a', 'b|c']` never collide.
 *
 * @example stableDeliveryId(['1234', 1458692752478, '7KQ2-M9X1']) // 'h:…' (32 hex digits)
 */
export function stableDeliveryId(parts: readonly (string | number | null)[]): string {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  return `h:${digest.slice(0, 32)}`;
}
