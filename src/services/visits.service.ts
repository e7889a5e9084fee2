import { getClick } from '../store/clicks.repository.js';
import type { Db } from '../store/db.js';
import { insertVisit, type LandingVisit } from '../store/visits.repository.js';

/**
 * Records a landing-page visit, linked to the click (and so the link) whose number the page's
 * `cm_click` carried; a number no click has leaves the visit unlinked, never refused.
 */
export async function recordVisit(
  db: Db,
  clickNumber: number | undefined,
  visit: Omit<LandingVisit, 'linkId' | 'clickId'>,
): Promise<number> {
  const click = clickNumber === undefined ? undefined : await getClick(db, clickNumber);
  return insertVisit(db, { ...visit, linkId: click?.linkId ?? null, clickId: click?.id ?? null });
}
