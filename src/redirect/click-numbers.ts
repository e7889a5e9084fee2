/**
 * Hands out click numbers from blocks reserved in the store, so no click waits for a sequence
 * round trip (DESIGN.md: "each server reserves blocks of click numbers"). A whole spare block is
 * reserved as soon as a block is started, so a store outage finds one to two blocks' worth of
 * numbers on hand: the redirects go on answering (their clicks go to the journal's spill) instead
 * of failing at the first exhausted block. A failed reservation is retried after a pause that
 * doubles up to `maxBackoffMs`, not on every click: an attempt can block (SQLite's busy timeout).
 */
export class ClickNumbers {
  private next = 0;
  private end = 0;
  private spare: { first: number } | null = null;
  private upcoming: Promise<number> | null = null;
  private retryAt = 0;
  private backoffMs = 0;

  constructor(
    private readonly reserve: (size: number) => Promise<number>,
    private readonly blockSize = 5000,
    private readonly maxBackoffMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The next click number; synchronous while the current block lasts. */
  take(): number | Promise<number> {
    if (this.next < this.end) {
      if (!this.spare && !this.upcoming) void this.prefetch();
      return this.next++;
    }
    if (this.spare) {
      this.start(this.spare.first);
      this.spare = null;
      void this.prefetch();
      return this.next++;
    }
    return this.refill();
  }

  private start(first: number): void {
    this.next = first;
    this.end = first + this.blockSize;
  }

  private async refill(): Promise<number> {
    for (;;) {
      const upcoming = this.upcoming ?? this.prefetch(true);
      if (!upcoming) throw new Error('no click numbers: reserving a block failed; retrying later');
      await upcoming;
      if (this.next < this.end) {
        if (!this.spare) void this.prefetch();
        return this.next++;
      }
      if (this.spare) {
        this.start(this.spare.first);
        this.spare = null;
        void this.prefetch();
        return this.next++;
      }
    }
  }

  /** Reserves the spare block, unless a failed attempt asked to wait (`force`: a click waits on it). */
  private prefetch(force = false): Promise<number> | null {
    if (this.upcoming) return this.upcoming;
    if (!force && this.now() < this.retryAt) return null;
    const upcoming = this.reserve(this.blockSize);
    this.upcoming = upcoming;
    // Both outcomes are handled here; a click waiting on the block awaits `upcoming` itself.
    void upcoming.then(
      (first) => {
        if (this.upcoming === upcoming) this.upcoming = null;
        this.backoffMs = 0;
        if (this.next >= this.end) this.start(first);
        else this.spare = { first };
      },
      () => {
        if (this.upcoming === upcoming) this.upcoming = null;
        this.backoffMs = Math.min(this.maxBackoffMs, Math.max(1000, this.backoffMs * 2));
        this.retryAt = this.now() + this.backoffMs;
      },
    );
    return upcoming;
  }
}
