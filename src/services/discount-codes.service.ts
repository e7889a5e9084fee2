import { ChatmarkError } from '../domain/errors.js';
import { getCampaign } from '../store/campaigns.repository.js';
import { type Db, isUniqueViolation } from '../store/db.js';
import {
  type DiscountCode,
  insertDiscountCode,
  normalizeDiscountCode,
} from '../store/discount-codes.repository.js';
import { getLink } from '../store/links.repository.js';

export type DiscountCodeInput = Omit<DiscountCode, 'id' | 'redemptions' | 'createdAt'>;

/**
 * Stores a discount code for a campaign or a link (either may be null), refusing an id in the
 * body that does not exist (422 `unknown_campaign`, `unknown_link`) and a code already taken in
 * any case (409 `code_taken`).
 */
export async function createDiscountCode(
  db: Db,
  input: DiscountCodeInput,
  now: number,
): Promise<DiscountCode> {
  if (input.campaignId && !(await getCampaign(db, input.campaignId))) {
    throw new ChatmarkError('unknown_campaign', `No campaign ${input.campaignId}`, 'campaignId');
  }
  if (input.linkId && !(await getLink(db, input.linkId))) {
    throw new ChatmarkError('unknown_link', `No link ${input.linkId}`, 'linkId');
  }
  try {
    return await insertDiscountCode(db, input, now);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ChatmarkError(
        'code_taken',
        `The discount code "${normalizeDiscountCode(input.code)}" exists already`,
        'code',
      );
    }
    throw error;
  }
}
