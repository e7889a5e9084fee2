import { ChatmarkError } from '../../domain/errors.js';
import { type CampaignRecord, getCampaign, getCampaignBySlug } from '../../store/campaigns.repository.js';
import type { Db } from '../../store/db.js';
import { getLink, getLinkByCode, type LinkRecord } from '../../store/links.repository.js';
import type { Row } from './import-csv.js';

/**
 * A cell's text, or undefined when the column is absent or the cell is empty (an empty cell
 * means "not given", as in a spreadsheet). Text that is not well-formed Unicode is refused with
 * `invalid_unicode`, as the HTTP API refuses it: every value read from a file goes through here.
 *
 * @example cell({ email: '' }, 'email') === undefined
 */
export function cell(row: Row, column: string): string | undefined {
  const value = row[column];
  if (value === undefined || value === '') return undefined;
  if (!value.isWellFormed()) {
    throw new ChatmarkError(
      'invalid_unicode',
      `${column} is not well-formed Unicode (a lone surrogate)`,
      column,
    );
  }
  return value;
}

/**
 * A non-negative whole number (digits only: `1e3`, `1,000` and `12.0` are refused rather than
 * guessed at), or undefined for an empty cell.
 *
 * @example countCell({ impressions: '1200' }, 'impressions') === 1200
 */
export function countCell(row: Row, column: string): number | undefined {
  const value = cell(row, column);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new ChatmarkError('invalid_number', `${column} "${value}" is not a whole number ≥ 0`, column);
  return n;
}

/** A cell no longer than `max` characters (the HTTP API's limits), or undefined when empty. */
export function textCell(row: Row, column: string, max: number): string | undefined {
  const value = cell(row, column);
  if (value !== undefined && value.length > max)
    throw new ChatmarkError('too_long', `${column} is longer than ${max} characters`, column);
  return value;
}

/**
 * Finds campaigns by slug (`campaign`) or id (`campaign_id`) and links by short code (`link`) or
 * id (`link_id`), remembering each answer: a file names a handful of campaigns in many rows.
 */
export function createLookups(db: Db) {
  const campaigns = new Map<string, Promise<CampaignRecord | undefined>>();
  const links = new Map<string, Promise<LinkRecord | undefined>>();
  const cached = <V>(map: Map<string, Promise<V>>, key: string, load: () => Promise<V>) => {
    let hit = map.get(key);
    if (!hit) map.set(key, (hit = load()));
    return hit;
  };
  return {
    /** The row's campaign; refused when neither column is filled or nothing matches. */
    async campaign(row: Row): Promise<CampaignRecord> {
      const slug = cell(row, 'campaign');
      const id = countCell(row, 'campaign_id');
      if (slug === undefined && id === undefined)
        throw new ChatmarkError(
          'missing_field',
          'A row needs campaign (slug) or campaign_id',
          'campaign' in row ? 'campaign' : 'campaign_id',
        );
      const column = slug !== undefined ? 'campaign' : 'campaign_id';
      const found =
        slug !== undefined
          ? await cached(campaigns, `slug:${slug}`, () => getCampaignBySlug(db, slug))
          : await cached(campaigns, `id:${id}`, () => getCampaign(db, id ?? 0));
      if (!found) throw new ChatmarkError('unknown_campaign', `No campaign "${slug ?? id}"`, column);
      if (slug !== undefined && id !== undefined && found.id !== id)
        throw new ChatmarkError(
          'conflicting_campaign',
          `campaign "${slug}" is campaign_id ${found.id}, not ${id}`,
          'campaign_id',
        );
      return found;
    },
    /** The row's link, or undefined when neither `link` nor `link_id` is filled. */
    async link(row: Row): Promise<LinkRecord | undefined> {
      const code = cell(row, 'link');
      const id = countCell(row, 'link_id');
      if (code === undefined && id === undefined) return undefined;
      const found =
        code !== undefined
          ? await cached(links, `code:${code}`, () => getLinkByCode(db, code))
          : await cached(links, `id:${id}`, () => getLink(db, id ?? 0));
      const column = code !== undefined ? 'link' : 'link_id';
      if (!found) throw new ChatmarkError('unknown_link', `No link "${code ?? id}"`, column);
      if (code !== undefined && id !== undefined && found.id !== id)
        throw new ChatmarkError(
          'conflicting_link',
          `link "${code}" is link_id ${found.id}, not ${id}`,
          'link_id',
        );
      return found;
    },
  };
}

export type Lookups = ReturnType<typeof createLookups>;
