import type { Db } from './db.js';

export interface Cost {
  campaignId: number;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  spend: { amount: number; currency: string };
  impressions: number | null;
  reach: number | null;
}

/** Sets a campaign's spend for a day and currency; sending the same day again replaces it. */
export async function upsertCost(db: Db, cost: Cost, now: number): Promise<void> {
  await db
    .insertInto('costs')
    .values({
      campaign_id: cost.campaignId,
      day: cost.day,
      amount: cost.spend.amount,
      currency: cost.spend.currency,
      impressions: cost.impressions,
      reach: cost.reach,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['campaign_id', 'day', 'currency']).doUpdateSet((eb) => ({
        amount: eb.ref('excluded.amount'),
        impressions: eb.ref('excluded.impressions'),
        reach: eb.ref('excluded.reach'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** Costs of a campaign for days in [from, to] (YYYY-MM-DD, inclusive). */
export async function listCosts(db: Db, campaignId: number, from: string, to: string): Promise<Cost[]> {
  const rows = await db
    .selectFrom('costs')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .orderBy('day')
    .orderBy('currency')
    .execute();
  return rows.map((r) => ({
    campaignId: r.campaign_id,
    day: r.day,
    spend: { amount: r.amount, currency: r.currency },
    impressions: r.impressions,
    reach: r.reach,
  }));
}
