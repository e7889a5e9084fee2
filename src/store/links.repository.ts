import { type Selectable, sql } from 'kysely';
import { type Db, parseJson } from './db.js';
import type { LinkTable } from './schema.js';

export interface LinkRecord {
  id: number;
  code: string;
  campaignId: number | null;
  /** A chat channel (`whatsapp`, …) or `web`. */
  channel: string;
  /** The channel's fields (`phone`, `username`, …) or `url` for web. */
  target: Record<string, string>;
  text: string | null;
  utm: Record<string, string>;
  variant: string | null;
  expiresAt: number | null;
  maxClicks: number | null;
  archivedAt: number | null;
  createdBy: number | null;
  createdAt: number;
  updatedAt: number;
  /** Bumped by every update (caches keep the newest copy by it). */
  version: number;
}

export type LinkFields = Omit<LinkRecord, 'id' | 'archivedAt' | 'createdAt' | 'updatedAt' | 'version'>;
export type LinkPatch = Partial<Omit<LinkFields, 'code' | 'createdBy'>> & { archivedAt?: number | null };

function toRecord(row: Selectable<LinkTable>): LinkRecord {
  return {
    id: row.id,
    code: row.code,
    campaignId: row.campaign_id,
    channel: row.channel,
    target: parseJson<Record<string, string>>(row.target) ?? {},
    text: row.text,
    utm: parseJson<Record<string, string>>(row.utm) ?? {},
    variant: row.variant,
    expiresAt: row.expires_at,
    maxClicks: row.max_clicks,
    archivedAt: row.archived_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** Inserts a link; a clash on `code` surfaces as the engine's unique-violation error (see isUniqueViolation). */
export async function insertLink(db: Db, fields: LinkFields, at: number): Promise<LinkRecord> {
  const row = await db
    .insertInto('links')
    .values({
      code: fields.code,
      campaign_id: fields.campaignId,
      channel: fields.channel,
      target: JSON.stringify(fields.target),
      text: fields.text,
      utm: JSON.stringify(fields.utm),
      variant: fields.variant,
      expires_at: fields.expiresAt,
      max_clicks: fields.maxClicks,
      created_by: fields.createdBy,
      created_at: at,
      updated_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

export async function getLink(db: Db, id: number): Promise<LinkRecord | undefined> {
  const row = await db.selectFrom('links').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

/** The link's campaign: null when it has none, undefined when there is no such link. */
export async function campaignIdOfLink(db: Db, id: number): Promise<number | null | undefined> {
  const row = await db.selectFrom('links').select('campaign_id').where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : row.campaign_id;
}

export async function getLinkByCode(db: Db, code: string): Promise<LinkRecord | undefined> {
  const row = await db.selectFrom('links').selectAll().where('code', '=', code).executeTakeFirst();
  return row && toRecord(row);
}

export async function listLinks(
  db: Db,
  filter: { campaignId?: number | undefined; includeArchived?: boolean } = {},
): Promise<LinkRecord[]> {
  let query = db.selectFrom('links').selectAll().orderBy('id');
  if (filter.campaignId !== undefined) query = query.where('campaign_id', '=', filter.campaignId);
  if (!filter.includeArchived) query = query.where('archived_at', 'is', null);
  return (await query.execute()).map(toRecord);
}

/** Whether the store has any link (archived or not). */
export async function hasLinks(db: Db): Promise<boolean> {
  return (await db.selectFrom('links').select('id').limit(1).executeTakeFirst()) !== undefined;
}

export async function updateLink(
  db: Db,
  id: number,
  patch: LinkPatch,
  at: number,
): Promise<LinkRecord | undefined> {
  const row = await db
    .updateTable('links')
    .set({
      ...(patch.campaignId !== undefined && { campaign_id: patch.campaignId }),
      ...(patch.channel !== undefined && { channel: patch.channel }),
      ...(patch.target !== undefined && { target: JSON.stringify(patch.target) }),
      ...(patch.text !== undefined && { text: patch.text }),
      ...(patch.utm !== undefined && { utm: JSON.stringify(patch.utm) }),
      ...(patch.variant !== undefined && { variant: patch.variant }),
      ...(patch.expiresAt !== undefined && { expires_at: patch.expiresAt }),
      ...(patch.maxClicks !== undefined && { max_clicks: patch.maxClicks }),
      ...(patch.archivedAt !== undefined && { archived_at: patch.archivedAt }),
      updated_at: at,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toRecord(row);
}

/** Which copy of a link is current: its id, version and its campaign's version (0 without one). */
export interface LinkVersion {
  id: number;
  version: number;
  campaignVersion: number;
}

/** The current version of the link behind `code`: one indexed read, for cache revalidation. */
export async function getLinkVersion(db: Db, code: string): Promise<LinkVersion | undefined> {
  const row = await db
    .selectFrom('links')
    .leftJoin('campaigns', 'campaigns.id', 'links.campaign_id')
    .select(['links.id as id', 'links.version as version', 'campaigns.version as campaignVersion'])
    .where('links.code', '=', code)
    .executeTakeFirst();
  return row && { id: row.id, version: row.version, campaignVersion: row.campaignVersion ?? 0 };
}
