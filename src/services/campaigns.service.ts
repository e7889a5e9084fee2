import { isDeepStrictEqual } from 'node:util';
import { ChatmarkError } from '../domain/errors.js';
import { lintUtmValue, normalizeUtmValue } from '../domain/utm.js';
import {
  type CampaignFields,
  type CampaignRecord,
  getCampaign,
  insertCampaign,
  insertCampaignChanges,
  listCampaignChanges,
  listCampaigns,
  updateCampaign,
} from '../store/campaigns.repository.js';
import { type Db, isUniqueViolation } from '../store/db.js';
import type { StoreDb } from '../store/dialect.js';
import { bumpDayVersions } from '../store/report-slices.repository.js';

export type CampaignInput = Partial<CampaignFields> & { name: string; owner: string };

/** The slug is the campaign's `utm_campaign` value, so it follows the UTM naming convention. */
export function checkSlug(slug: string): string {
  const findings = lintUtmValue('campaign', slug);
  const first = findings[0];
  if (first) {
    const fix = first.fix ? ` (try "${first.fix}")` : '';
    throw new ChatmarkError('invalid_slug', `${first.message}${fix}`, 'slug');
  }
  return slug;
}

function slugTaken(slug: string) {
  return new ChatmarkError('slug_taken', `A campaign with the slug "${slug}" exists already`, 'slug');
}

export async function createCampaign(db: Db, input: CampaignInput, now: number): Promise<CampaignRecord> {
  const slug = checkSlug(input.slug ?? normalizeUtmValue(input.name));
  try {
    return await insertCampaign(
      db,
      {
        slug,
        name: input.name,
        owner: input.owner,
        channels: input.channels ?? [],
        utm: input.utm ?? {},
        budgetCap: input.budgetCap ?? null,
        startsAt: input.startsAt ?? null,
        endsAt: input.endsAt ?? null,
        rollbackCriteria: input.rollbackCriteria ?? null,
        notes: input.notes ?? null,
        primaryConversion: input.primaryConversion ?? 'purchase',
      },
      now,
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(slug);
    throw error;
  }
}

export async function requireCampaign(db: Db, id: number): Promise<CampaignRecord> {
  const campaign = await getCampaign(db, id);
  if (!campaign) throw new ChatmarkError('campaign_not_found', `No campaign ${id}`, 'id');
  return campaign;
}

/**
 * Applies a patch and writes one changelog row per field whose value changed (field, old, new,
 * actor key, time), in the same transaction.
 */
export async function patchCampaign(
  store: StoreDb,
  id: number,
  patch: Partial<CampaignFields>,
  actorKeyId: number | null,
  now: number,
): Promise<CampaignRecord> {
  if (patch.slug !== undefined) checkSlug(patch.slug);
  try {
    return await store.db.transaction().execute(async (trx) => {
      const current = await requireCampaign(trx, id);
      const changed: Partial<CampaignFields> = {};
      const rows = [];
      for (const [field, value] of Object.entries(patch) as [keyof CampaignFields, unknown][]) {
        if (value === undefined || isDeepStrictEqual(current[field], value)) continue;
        (changed as Record<string, unknown>)[field] = value;
        rows.push({ campaignId: id, field, oldValue: current[field], newValue: value, actorKeyId, at: now });
      }
      if (rows.length === 0) return current;
      const updated = await updateCampaign(trx, id, changed, now);
      await insertCampaignChanges(trx, rows);
      // Slugs, UTM sources and primary conversions are report keys: cached report slices are stale.
      await bumpDayVersions(trx, 'all');
      return updated ?? current;
    });
  } catch (error) {
    if (isUniqueViolation(error) && patch.slug !== undefined) throw slugTaken(patch.slug);
    throw error;
  }
}

/** The campaign when there is one by this id; null for no id or an unknown one. */
export async function findCampaign(db: Db, id: number | null | undefined): Promise<CampaignRecord | null> {
  if (id === null || id === undefined) return null;
  return (await getCampaign(db, id)) ?? null;
}

export { listCampaignChanges, listCampaigns };
