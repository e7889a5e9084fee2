/**
 * Hands out click numbers from blocks reserved in the store, so no click waits for a sequence
 * round trip (DESIGN.md: "each server reserves blocks of click numbers"). The next block is
 * fetched ahead, when a fifth of the current one is left.
 */
export class ClickNumbers {
  private next = 0;
  private end = 0;
  private upcoming: Promise<number> | null = null;

  constructor(
    private readonly reserve: (size: number) => Promise<number>,
    private readonly blockSize = 1000,
  ) {}

  /** The next click number; resolves synchronously-fast while the current block lasts. */
  take(): number | Promise<number> {
    if (this.end - this.next <= this.blockSize / 5 && !this.upcoming) this.prefetch();
    if (this.next < this.end) return this.next++;
    return this.refill();
  }

  private async refill(): Promise<number> {
    while (this.next >= this.end) {
      const upcoming = this.upcoming ?? this.prefetch();
      const first = await upcoming;
      if (this.upcoming === upcoming) {
        this.upcoming = null;
        if (this.next >= this.end) {
          this.next = first;
          this.end = first + this.blockSize;
        }
      }
    }
    return this.next++;
  }

  private prefetch(): Promise<number> {
    const upcoming = this.reserve(this.blockSize);
    this.upcoming = upcoming;
    // A failed reservation is retried by the next take(); refill() still sees the rejection.
    upcoming.catch(() => {
      if (this.upcoming === upcoming) this.upcoming = null;
    });
    return upcoming;
  }
}
