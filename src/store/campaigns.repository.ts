import { type Selectable, sql } from 'kysely';
import { type Db, parseJson, toJson } from './db.js';
import type { CampaignTable } from './schema.js';

export interface Money {
  amount: number;
  currency: string;
}

export interface CampaignRecord {
  id: number;
  slug: string;
  name: string;
  owner: string;
  channels: string[];
  utm: Record<string, string>;
  budgetCap: Money | null;
  startsAt: number | null;
  endsAt: number | null;
  rollbackCriteria: unknown;
  notes: string | null;
  primaryConversion: string;
  createdAt: number;
  updatedAt: number;
  /** Bumped by every update (caches keep the newest copy by it). */
  version: number;
}

/** The fields a person sets; the changelog records each one that a PATCH changes. */
export type CampaignFields = Omit<CampaignRecord, 'id' | 'createdAt' | 'updatedAt' | 'version'>;

export interface CampaignChange {
  id: number;
  campaignId: number;
  field: string;
  oldValue: unknown;
  newValue: unknown;
  actorKeyId: number | null;
  at: number;
}

function toRecord(row: Selectable<CampaignTable>): CampaignRecord {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    owner: row.owner,
    channels: parseJson<string[]>(row.channels) ?? [],
    utm: parseJson<Record<string, string>>(row.utm) ?? {},
    budgetCap:
      row.budget_cap_amount === null || row.budget_cap_currency === null
        ? null
        : { amount: row.budget_cap_amount, currency: row.budget_cap_currency },
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    rollbackCriteria: parseJson(row.rollback_criteria),
    notes: row.notes,
    primaryConversion: row.primary_conversion,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

function toRow(fields: Partial<CampaignFields>) {
  return {
    ...(fields.slug !== undefined && { slug: fields.slug }),
    ...(fields.name !== undefined && { name: fields.name }),
    ...(fields.owner !== undefined && { owner: fields.owner }),
    ...(fields.channels !== undefined && { channels: JSON.stringify(fields.channels) }),
    ...(fields.utm !== undefined && { utm: JSON.stringify(fields.utm) }),
    ...(fields.budgetCap !== undefined && {
      budget_cap_amount: fields.budgetCap?.amount ?? null,
      budget_cap_currency: fields.budgetCap?.currency ?? null,
    }),
    ...(fields.startsAt !== undefined && { starts_at: fields.startsAt }),
    ...(fields.endsAt !== undefined && { ends_at: fields.endsAt }),
    ...(fields.rollbackCriteria !== undefined && { rollback_criteria: toJson(fields.rollbackCriteria) }),
    ...(fields.notes !== undefined && { notes: fields.notes }),
    ...(fields.primaryConversion !== undefined && { primary_conversion: fields.primaryConversion }),
  };
}

export async function insertCampaign(db: Db, fields: CampaignFields, at: number): Promise<CampaignRecord> {
  const row = await db
    .insertInto('campaigns')
    .values({
      slug: fields.slug,
      name: fields.name,
      owner: fields.owner,
      channels: JSON.stringify(fields.channels),
      utm: JSON.stringify(fields.utm),
      budget_cap_amount: fields.budgetCap?.amount ?? null,
      budget_cap_currency: fields.budgetCap?.currency ?? null,
      starts_at: fields.startsAt,
      ends_at: fields.endsAt,
      rollback_criteria: toJson(fields.rollbackCriteria),
      notes: fields.notes,
      primary_conversion: fields.primaryConversion,
      created_at: at,
      updated_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

export async function getCampaign(db: Db, id: number): Promise<CampaignRecord | undefined> {
  const row = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

export async function getCampaignBySlug(db: Db, slug: string): Promise<CampaignRecord | undefined> {
  const row = await db.selectFrom('campaigns').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row && toRecord(row);
}

export async function listCampaigns(db: Db): Promise<CampaignRecord[]> {
  const rows = await db.selectFrom('campaigns').selectAll().orderBy('id').execute();
  return rows.map(toRecord);
}

/** Whether the store has any campaign (archived or not). */
export async function hasCampaigns(db: Db): Promise<boolean> {
  return (await db.selectFrom('campaigns').select('id').limit(1).executeTakeFirst()) !== undefined;
}

export async function updateCampaign(
  db: Db,
  id: number,
  fields: Partial<CampaignFields>,
  at: number,
): Promise<CampaignRecord | undefined> {
  const row = await db
    .updateTable('campaigns')
    .set({ ...toRow(fields), updated_at: at, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toRecord(row);
}

export async function insertCampaignChanges(db: Db, changes: Omit<CampaignChange, 'id'>[]): Promise<void> {
  if (changes.length === 0) return;
  await db
    .insertInto('campaign_changes')
    .values(
      changes.map((c) => ({
        campaign_id: c.campaignId,
        field: c.field,
        old_value: toJson(c.oldValue),
        new_value: toJson(c.newValue),
        actor_key_id: c.actorKeyId,
        at: c.at,
      })),
    )
    .execute();
}

export async function listCampaignChanges(db: Db, campaignId: number): Promise<CampaignChange[]> {
  const rows = await db
    .selectFrom('campaign_changes')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    campaignId: r.campaign_id,
    field: r.field,
    oldValue: parseJson(r.old_value),
    newValue: parseJson(r.new_value),
    actorKeyId: r.actor_key_id,
    at: r.at,
  }));
}
