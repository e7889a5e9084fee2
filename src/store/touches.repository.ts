import { type RawBuilder, sql } from 'kysely';
import type { Db } from './db.js';
import { dialectOf } from './dialect.js';
import { bumpDayVersions } from './report-slices.repository.js';

/**
 * How far back an event's touches are kept: the longest attribution window a report can ask for
 * (90 days, the longest lookback of the big ad platforms).
 */
const DAY = 86_400_000;
export const TOUCH_HORIZON_MS = 90 * DAY;

export type TouchKind = 'click' | 'code' | 'chat_started' | 'exposure';

const CHUNK = 500;

/**
 * The touches of the events in `scope` (a condition on `v`, the event), written in one statement:
 * the event's own click and discount code, and its contact's clicks (those any of its events came
 * from), chat starts and exposures, from the horizon up to the event's time. `union` drops the
 * duplicates (the own click is usually also one of the contact's). Each event's touches are filed
 * under 0 (every event) and again under each campaign among them, so a report reads one key range.
 */
function insertTouches(db: Db, scope: RawBuilder<unknown>) {
  const event = sql`v.id, v.type, v.occurred_at, v.contact_id, v.amount, v.currency`;
  const since = (at: RawBuilder<unknown>) =>
    sql`${at} <= v.occurred_at and ${at} >= v.occurred_at - ${TOUCH_HORIZON_MS}`;
  const columns = sql`event_id, event_type, event_at, contact_id, amount, currency, touch_kind, touch_id, touch_at, link_id, campaign_id, channel`;
  return sql`with t (${columns}) as (
      select ${event}, 'click', c.id, c.at, c.link_id, l.campaign_id, null
        from events v join clicks c on c.id = v.click_id join links l on l.id = c.link_id
        where ${scope} and ${since(sql`c.at`)}
      union
      select ${event}, 'click', c.id, c.at, c.link_id, l.campaign_id, null
        from events v
        join events k on k.contact_id = v.contact_id
        join clicks c on c.id = k.click_id
        join links l on l.id = c.link_id
        where ${scope} and k.click_id is not null and ${since(sql`c.at`)}
      union
      select ${event}, 'code', v.id, v.occurred_at, dc.link_id, coalesce(dc.campaign_id, dl.campaign_id), null
        from events v
        join discount_codes dc on dc.id = v.discount_code_id
        left join links dl on dl.id = dc.link_id
        where ${scope} and (dc.campaign_id is not null or dc.link_id is not null)
      union
      select ${event}, 'chat_started', s.id, s.occurred_at, s.link_id, s.campaign_id, null
        from events v join events s on s.contact_id = v.contact_id and s.type = 'chat_started'
        where ${scope} and ${since(sql`s.occurred_at`)}
      union
      select ${event}, 'exposure', x.id, x.sent_at, x.link_id, x.campaign_id, x.channel
        from events v join exposures x on x.contact_id = v.contact_id
        where ${scope} and ${since(sql`x.sent_at`)}
    )
    insert into event_touches (filed_under, ${columns})
    select 0, t.* from t
    union all
    select f.campaign_id, t.* from t
      join (select distinct event_id, campaign_id from t where campaign_id is not null) f on f.event_id = t.event_id`.execute(
    db,
  );
}

/** Rewrites the whole table from the events (migration 005; `refreshEventTouches(db, 'all')`). */
export async function rebuildEventTouches(db: Db): Promise<void> {
  await sql`delete from event_touches`.execute(db);
  await insertTouches(db, sql`1 = 1`);
}

const list = (ids: readonly number[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

/**
 * Rewrites the stored touches of the events a write changed, in the transaction of that write, so
 * a touch that arrives after the conversion it led to (an exposure import, a delayed webhook)
 * still gets its credit: the new events themselves (`eventIds`), and for each contact with a new
 * touch, its events from that touch's time on (`since`: contact → earliest new touch). `'all'`
 * rebuilds the table (stores filled behind the API's back).
 */
export async function refreshEventTouches(
  db: Db,
  scope: { eventIds?: Iterable<number>; since?: ReadonlyMap<number, number> } | 'all',
): Promise<void> {
  if (scope === 'all') {
    await rebuildEventTouches(db);
    await bumpDayVersions(db, 'all');
    return;
  }
  const events = new Set(scope.eventIds ?? []);
  const since = [...(scope.since ?? new Map<number, number>())];
  await lockContacts(db, [...since.map(([contact]) => contact), ...(await contactsOf(db, [...events]))]);
  for (let i = 0; i < since.length; i += CHUNK) {
    const terms = since
      .slice(i, i + CHUNK)
      .map(([contact, at]) => sql`(contact_id = ${contact} and occurred_at >= ${at})`);
    const { rows } = await sql<{
      id: number;
    }>`select id from events where ${sql.join(terms, sql` or `)}`.execute(db);
    for (const row of rows) events.add(Number(row.id));
  }
  // The days of the rewritten events: their cached report slices are stale now.
  const days = new Set<number>();
  const ids = [...events];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = list(ids.slice(i, i + CHUNK));
    await sql`delete from event_touches where event_id in (${chunk})`.execute(db);
    await insertTouches(db, sql`v.id in (${chunk})`);
    const { rows } = await sql<{
      day: number;
    }>`select distinct occurred_at - (occurred_at % ${sql.lit(DAY)}) as day from events where id in (${chunk})`.execute(
      db,
    );
    for (const row of rows) days.add(Number(row.day));
  }
  await bumpDayVersions(db, days);
}

async function contactsOf(db: Db, ids: readonly number[]): Promise<number[]> {
  const contacts: number[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const { rows } = await sql<{
      contact_id: number | null;
    }>`select distinct contact_id from events where id in (${list(
      ids.slice(i, i + CHUNK),
    )}) and contact_id is not null`.execute(db);
    for (const row of rows) if (row.contact_id !== null) contacts.push(Number(row.contact_id));
  }
  return contacts;
}

/** The lock namespace of touch rewrites (an arbitrary constant of this application). */
const TOUCH_LOCKS = 7301;

/**
 * On PostgreSQL, where several servers write at once: holds each contact's lock until the
 * transaction ends, in id order. Two batches for one contact then rewrite its touches one after
 * the other, the second seeing the first's events (READ COMMITTED), instead of each missing the
 * other's touch or tripping on the other's rows. SQLite has one writer at a time already.
 */
async function lockContacts(db: Db, contacts: readonly number[]): Promise<void> {
  const dialect = dialectOf(db);
  if (!dialect.keyLocks) return;
  const ordered = [...new Set(contacts)].sort((a, b) => a - b);
  await dialect.lockInTransaction(
    db,
    ordered.map((key) => ({ space: TOUCH_LOCKS, key })),
  );
}

/**
 * After a link moves to another campaign: rewrites the touches that name it, so the campaign's
 * reports find the conversions its clicks led to. (A rare edit: the lookup reads the table.)
 */
export async function refreshTouchesOfLink(db: Db, linkId: number): Promise<void> {
  const rows = await db
    .selectFrom('event_touches')
    .select('event_id')
    .distinct()
    .where('link_id', '=', linkId)
    .execute();
  await refreshEventTouches(db, { eventIds: rows.map((r) => r.event_id) });
}
