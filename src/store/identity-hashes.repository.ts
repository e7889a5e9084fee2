import { sql } from 'kysely';
import type { Db } from './db.js';

/** The identity kinds whose values are keyed hashes (services/identity.ts), never clear text. */
export const HASHED_IDENTITY_KINDS = ['email', 'phone'] as const;

/** Rows per UPDATE: one round trip rewrites this many values. */
const BATCH = 500;

/**
 * Rewrites every hashed identity value as `rekey(value)`, in batches by id, and returns how many
 * it rewrote. Run it inside the transaction that records the new key, so that a crash leaves
 * either every value re-keyed or none.
 */
export async function rekeyHashedIdentities(db: Db, rekey: (value: string) => string): Promise<number> {
  let after = 0;
  let count = 0;
  for (;;) {
    const rows = await db
      .selectFrom('identities')
      .select(['id', 'value'])
      .where('kind', 'in', HASHED_IDENTITY_KINDS)
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    const last = rows.at(-1);
    if (!last) return count;
    const cases = sql.join(
      rows.map((row) => sql`when ${row.id} then ${rekey(row.value)}`),
      sql` `,
    );
    await db
      .updateTable('identities')
      .set({ value: sql<string>`case id ${cases} end` })
      .where(
        'id',
        'in',
        rows.map((row) => row.id),
      )
      .execute();
    count += rows.length;
    after = last.id;
  }
}
