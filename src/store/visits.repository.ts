import type { Db } from './db.js';

export interface LandingVisit {
  at: number;
  linkId: number | null;
  clickId: number | null;
  visitorHash: string | null;
  url: string | null;
  referrerHost: string | null;
  utm: { source?: string; medium?: string; campaign?: string; term?: string; content?: string };
}

/** A landing-page visit: the denominator of `chat_start_rate`. */
export async function insertVisit(db: Db, visit: LandingVisit): Promise<number> {
  const row = await db
    .insertInto('landing_visits')
    .values({
      at: visit.at,
      link_id: visit.linkId,
      click_id: visit.clickId,
      visitor_hash: visit.visitorHash,
      url: visit.url,
      referrer_host: visit.referrerHost,
      utm_source: visit.utm.source ?? null,
      utm_medium: visit.utm.medium ?? null,
      utm_campaign: visit.utm.campaign ?? null,
      utm_term: visit.utm.term ?? null,
      utm_content: visit.utm.content ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function countVisits(
  db: Db,
  filter: { linkId?: number; from: number; to: number },
): Promise<number> {
  let query = db
    .selectFrom('landing_visits')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('at', '>=', filter.from)
    .where('at', '<', filter.to);
  if (filter.linkId !== undefined) query = query.where('link_id', '=', filter.linkId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}
