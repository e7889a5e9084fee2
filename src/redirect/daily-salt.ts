import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import { getDailySalt } from '../store/settings.repository.js';

const DAY = 86_400_000;

function dayOf(ms: number): string {
  return new Date(ms - (ms % DAY)).toISOString().slice(0, 10);
}

/**
 * The salt of the visitor hash, one per UTC day and shared by every server through the store.
 * Salts older than yesterday are deleted, so yesterday's visitors can't be re-identified from
 * today's hashes (the approach of Plausible's daily salts).
 */
export class DailySalt {
  private salt = '';
  /** The current day as [start, end) in epoch ms, so the common case is two comparisons. */
  private start = 0;
  private end = 0;
  private loading: Promise<string> | null = null;

  constructor(private readonly db: Db) {}

  get(now: number): string | Promise<string> {
    if (now >= this.start && now < this.end) return this.salt;
    const day = dayOf(now);
    if (!this.loading) {
      this.loading = getDailySalt(this.db, day, dayOf(now - DAY), () => randomBytes(24).toString('base64url'))
        .then((salt) => {
          this.salt = salt;
          this.start = now - (now % DAY);
          this.end = this.start + DAY;
          return salt;
        })
        .finally(() => {
          this.loading = null;
        });
    }
    return this.loading;
  }
}
