import type { ClickRecord } from '../store/clicks.repository.js';

export interface JournalOptions {
  /** Commits one batch (clicks and their rollups in one transaction). */
  write(batch: readonly ClickRecord[]): Promise<void>;
  /** Called after each commit with the batch size and the seconds it took. */
  onCommit?(size: number, seconds: number): void;
  /** Called when a commit fails; the batch is kept and retried. */
  onError?(error: unknown, size: number): void;
  /** How long to wait before retrying a failed commit. */
  retryDelayMs?: number;
  /** Most clicks held in memory while the store is failing; older ones are dropped past this. */
  maxPending?: number;
  /**
   * Commit as soon as this many clicks wait, without waiting for the end of the event-loop turn:
   * part of a burst is answered while the rest is still being read, so the clients' next
   * requests overlap with this process's work. Default: only at the end of the turn.
   */
  commitAt?: number;
}

interface Waiting {
  click: ClickRecord;
  resolve: (committed: boolean) => void;
}

/**
 * The click journal: group commit. Every click appended during one turn of the event loop (and
 * while the previous commit runs) is written in one transaction, and each `append` resolves only
 * when its click is committed — so the redirect answers after the commit and a `kill -9` loses no
 * answered click (DESIGN.md, redirect hot path, step 5).
 *
 * When the store fails, `append` resolves `false` (the caller still redirects the person: a broken
 * database must not break a campaign) and the clicks stay queued and are retried.
 *
 * @example const committed = await journal.append(click);
 */
export class ClickJournal {
  private pending: Waiting[] = [];
  private retry: ClickRecord[] = [];
  private scheduled = false;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly options: JournalOptions) {}

  append(click: ClickRecord): Promise<boolean> {
    if (this.closed) return Promise.reject(new Error('The click journal is closed'));
    return new Promise((resolve) => {
      this.pending.push({ click, resolve });
      if (this.pending.length >= (this.options.commitAt ?? Number.POSITIVE_INFINITY) && !this.running) {
        void this.run();
      } else this.schedule();
    });
  }

  /** Clicks waiting to be committed (including those kept after a failed commit). */
  get backlog(): number {
    return this.pending.length + this.retry.length;
  }

  /** Commits everything appended so far; used on shutdown. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running || this.pending.length > 0 || this.retry.length > 0) {
      if (this.running) await this.running;
      else {
        const before = this.backlog;
        await this.run();
        if (this.backlog >= before) break; // the store is failing; give up rather than spin
      }
    }
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private run(): Promise<void> {
    // An end-of-turn flush after an early commit took everything: nothing to write.
    if (this.pending.length === 0 && this.retry.length === 0) return Promise.resolve();
    const waiting = this.pending;
    this.pending = [];
    const batch =
      this.retry.length > 0 ? [...this.retry, ...waiting.map((w) => w.click)] : waiting.map((w) => w.click);
    const previousRetry = this.retry;
    this.retry = [];
    const started = process.hrtime.bigint();
    this.running = this.options.write(batch).then(
      () => {
        this.options.onCommit?.(batch.length, Number(process.hrtime.bigint() - started) / 1e9);
        for (const w of waiting) w.resolve(true);
      },
      (error: unknown) => {
        this.options.onError?.(error, batch.length);
        const keep = [...previousRetry, ...waiting.map((w) => w.click)];
        const max = this.options.maxPending ?? 100_000;
        this.retry = keep.length > max ? keep.slice(keep.length - max) : keep;
        for (const w of waiting) w.resolve(false);
        if (!this.closed) setTimeout(() => this.schedule(), this.options.retryDelayMs ?? 1000).unref();
      },
    );
    return this.running.finally(() => {
      this.running = null;
      if (this.pending.length > 0) this.schedule();
    });
  }
}
