import type { Db } from './db.js';
import { refreshEventTouches } from './touches.repository.js';

export interface Exposure {
  contactId: number;
  campaignId: number | null;
  linkId: number | null;
  channel: string | null;
  sentAt: number;
  idempotencyKey: string;
}

/**
 * Records exposures; one already recorded (same idempotency key) is skipped. Returns how many were
 * new. The contacts' stored touches are refreshed: a send imported after a purchase still counts.
 */
export async function insertExposures(db: Db, exposures: readonly Exposure[]): Promise<number> {
  // Per contact, the earliest send: its events from then on are re-attributed.
  const since = new Map<number, number>();
  let created = 0;
  for (let i = 0; i < exposures.length; i += 500) {
    const rows = await db
      .insertInto('exposures')
      .values(
        exposures.slice(i, i + 500).map((e) => ({
          contact_id: e.contactId,
          campaign_id: e.campaignId,
          link_id: e.linkId,
          channel: e.channel,
          sent_at: e.sentAt,
          idempotency_key: e.idempotencyKey,
        })),
      )
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning(['contact_id', 'sent_at'])
      .execute();
    for (const row of rows) {
      const at = Number(row.sent_at);
      since.set(row.contact_id, Math.min(at, since.get(row.contact_id) ?? at));
    }
    created += rows.length;
  }
  await refreshEventTouches(db, { since });
  return created;
}

export async function listExposures(db: Db, contactId: number): Promise<Exposure[]> {
  const rows = await db
    .selectFrom('exposures')
    .selectAll()
    .where('contact_id', '=', contactId)
    .orderBy('sent_at')
    .execute();
  return rows.map((r) => ({
    contactId: r.contact_id,
    campaignId: r.campaign_id,
    linkId: r.link_id,
    channel: r.channel,
    sentAt: r.sent_at,
    idempotencyKey: r.idempotency_key,
  }));
}
