import type { Selectable } from 'kysely';
import type { Db } from './db.js';
import type { DiscountCodeTable } from './schema.js';

export interface DiscountCode {
  id: number;
  code: string;
  campaignId: number | null;
  linkId: number | null;
  singleUse: boolean;
  validFrom: number | null;
  validTo: number | null;
  redemptions: number;
  createdAt: number;
}

function toRecord(row: Selectable<DiscountCodeTable>): DiscountCode {
  return {
    id: row.id,
    code: row.code,
    campaignId: row.campaign_id,
    linkId: row.link_id,
    singleUse: row.single_use === 1,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    redemptions: row.redemptions,
    createdAt: row.created_at,
  };
}

/** Codes are compared the way shoppers type them: trimmed, in any case. */
export function normalizeDiscountCode(code: string): string {
  return code.trim().toUpperCase();
}

export async function insertDiscountCode(
  db: Db,
  code: Omit<DiscountCode, 'id' | 'redemptions' | 'createdAt'>,
  now: number,
): Promise<DiscountCode> {
  const row = await db
    .insertInto('discount_codes')
    .values({
      code: normalizeDiscountCode(code.code),
      campaign_id: code.campaignId,
      link_id: code.linkId,
      single_use: code.singleUse ? 1 : 0,
      valid_from: code.validFrom,
      valid_to: code.validTo,
      redemptions: 0,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

export async function getDiscountCode(db: Db, code: string): Promise<DiscountCode | undefined> {
  const row = await db
    .selectFrom('discount_codes')
    .selectAll()
    .where('code', '=', normalizeDiscountCode(code))
    .executeTakeFirst();
  return row && toRecord(row);
}

/**
 * Counts one redemption; for a single-use code only the first succeeds (one conditional update,
 * so two concurrent redemptions cannot both win). Returns undefined when the code is used up.
 */
export async function redeemDiscountCode(db: Db, id: number): Promise<DiscountCode | undefined> {
  const row = await db
    .updateTable('discount_codes')
    .set((eb) => ({ redemptions: eb('redemptions', '+', 1) }))
    .where('id', '=', id)
    .where((eb) => eb.or([eb('single_use', '=', 0), eb('redemptions', '=', 0)]))
    .returningAll()
    .executeTakeFirst();
  return row && toRecord(row);
}

/** Gives back a redemption (its event turned out to be a duplicate recorded elsewhere). */
export async function unredeemDiscountCode(db: Db, id: number): Promise<void> {
  await db
    .updateTable('discount_codes')
    .set((eb) => ({ redemptions: eb('redemptions', '-', 1) }))
    .where('id', '=', id)
    .where('redemptions', '>', 0)
    .execute();
}
