import { checkPlausible } from '../domain/date-range.js';
import { ChatmarkError } from '../domain/errors.js';
import { getCampaign } from '../store/campaigns.repository.js';
import { identityLockKey, resolveContact } from '../store/contacts.repository.js';
import { upsertCost } from '../store/costs.repository.js';
import type { Kysely } from 'kysely';
import type { Db } from '../store/db.js';
import { insertExposures } from '../store/exposures.repository.js';
import { KEY_LOCK_BUDGET, lockKeys, needsKeyLocks } from '../store/locks.js';
import { transactionWithRetry } from '../store/retry.js';
import type { Database } from '../store/schema.js';
import type { IdentityHasher } from './identity.js';

export interface ExposureInput {
  contact: { externalId?: string | undefined; email?: string | undefined; phone?: string | undefined };
  campaignId?: number | null | undefined;
  linkId?: number | null | undefined;
  channel?: string | null | undefined;
  sentAt: number;
  idempotencyKey?: string | undefined;
}

/**
 * Records exposures (a message sent to a contact: the billboard model's touches). Without an
 * idempotency key, the campaign, the contact's first identity and the send time make one, so
 * importing the same file twice records each send once. Returns how many were new. Run it in a
 * transaction with `transactionWithRetry` (or use `recordExposuresInRuns`).
 */
export async function recordExposures(
  db: Db,
  identities: IdentityHasher,
  inputs: readonly ExposureInput[],
  now: number,
): Promise<number> {
  const rows = [];
  const all = inputs.map((input) => identities.contact(input.contact));
  // Every identity of the batch at once, in the one order events take them too (store/locks.ts).
  await lockKeys(db, all.flat().map(identityLockKey));
  for (const [i, input] of inputs.entries()) {
    const ids = all[i] ?? [];
    const first = ids[0];
    if (!first)
      throw new ChatmarkError(
        'missing_field',
        'An exposure needs contact.externalId, email or phone',
        'contact',
      );
    const contactId = await resolveContact(db, ids, now);
    rows.push({
      contactId,
      campaignId: input.campaignId ?? null,
      linkId: input.linkId ?? null,
      channel: input.channel ?? null,
      sentAt: input.sentAt,
      idempotencyKey:
        input.idempotencyKey ?? `${input.campaignId ?? '-'}:${first.kind}:${first.value}:${input.sentAt}`,
    });
  }
  return insertExposures(db, rows);
}

/**
 * `recordExposures` for a request of any size: checked whole first, then written as consecutive
 * runs that fit the lock budget (store/locks.ts), each in its own transaction, so that a big
 * import never holds the lock over every key (which would stall every other writer meanwhile).
 * A run repeated after a failure records nothing twice (each send has its idempotency key).
 */
export async function recordExposuresInRuns(
  db: Kysely<Database>,
  identities: IdentityHasher,
  inputs: readonly ExposureInput[],
  now: number,
): Promise<number> {
  const keys = inputs.map((input) => identities.contact(input.contact).map(identityLockKey));
  if (keys.some((own) => own.length === 0)) {
    throw new ChatmarkError(
      'missing_field',
      'An exposure needs contact.externalId, email or phone',
      'contact',
    );
  }
  const runs: ExposureInput[][] = [];
  let run: ExposureInput[] = [];
  let locked = new Set<string>();
  for (const [i, input] of inputs.entries()) {
    const own = keys[i] ?? [];
    const grown = locked.size + own.filter((k) => !locked.has(k)).length;
    if (run.length > 0 && needsKeyLocks(db) && grown > KEY_LOCK_BUDGET) {
      runs.push(run);
      run = [];
      locked = new Set();
    }
    run.push(input);
    for (const key of own) locked.add(key);
  }
  if (run.length > 0) runs.push(run);
  let created = 0;
  for (const part of runs) {
    created += await transactionWithRetry(db, (trx) => recordExposures(trx, identities, part, now));
  }
  return created;
}

export interface CostInput {
  campaignId: number;
  date: string;
  spend: { amount: number; currency: string };
  impressions?: number | null | undefined;
  reach?: number | null | undefined;
}

/** Sets a campaign's spend for a day (the same day and currency again replaces it). */
export async function recordCost(db: Db, input: CostInput, now: number): Promise<void> {
  const parsed = Date.parse(`${input.date}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March 2: a real day must print back as itself.
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(input.date) ||
    Number.isNaN(parsed) ||
    new Date(parsed).toISOString().slice(0, 10) !== input.date
  ) {
    throw new ChatmarkError('invalid_date', `"${input.date}" is not a date (YYYY-MM-DD)`, 'date');
  }
  checkPlausible(parsed, 'date');
  if (!(await getCampaign(db, input.campaignId))) {
    throw new ChatmarkError('unknown_campaign', `No campaign ${input.campaignId}`, 'campaignId');
  }
  await upsertCost(
    db,
    {
      campaignId: input.campaignId,
      day: input.date,
      spend: input.spend,
      impressions: input.impressions ?? null,
      reach: input.reach ?? null,
    },
    now,
  );
}
