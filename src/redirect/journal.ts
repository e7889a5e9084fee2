import type { ClickRecord } from '../store/clicks.repository.js';
import type { ClickSpill } from './spill.js';

export interface JournalOptions {
  /** Commits one batch (clicks and their rollups in one transaction). */
  write(batch: readonly ClickRecord[]): Promise<void>;
  /**
   * Where a batch goes when its commit fails: on disk before the redirects are answered, then
   * replayed through `replay` once the store answers again (and at the next start).
   */
  spill?: ClickSpill;
  /** Writes spilled clicks back: must skip clicks the store already holds (exactly once). */
  replay?(batch: readonly ClickRecord[]): Promise<unknown>;
  /** Called after each commit with the batch size and the seconds it took. */
  onCommit?(size: number, seconds: number): void;
  /** Called when a commit fails; the batch is spilled (or kept in memory) and retried. */
  onError?(error: unknown, size: number): void;
  /** Called when a batch was spilled to disk instead of committed. */
  onSpill?(size: number): void;
  /** Called when spilled clicks went back into the store. */
  onReplay?(size: number): void;
  /** How long to wait before retrying a failed commit or replay. */
  retryDelayMs?: number;
  /**
   * A commit that has not answered after this long counts as failed (its batch is spilled; the
   * replay skips what the late commit wrote). The adapters bound their own waits too.
   */
  commitTimeoutMs?: number;
  /** Most clicks held in memory when neither the store nor the spill works; older ones are dropped. */
  maxPending?: number;
  /**
   * Least time between the starts of two commits while fewer than `fullBatch` clicks wait: a
   * click that arrives when no commit started this long ago is committed at the end of its
   * event-loop turn, and under a steady stream the clicks of this window share one commit (a
   * commit per turn would write a few pages of WAL for one or two clicks). Default 0.
   */
  minIntervalMs?: number;
  /** Clicks that are committed at the end of the turn without waiting for `minIntervalMs`. */
  fullBatch?: number;
}

/** The clicks of the next batch and the one promise they all wait on. */
interface Batch {
  clicks: ClickRecord[];
  done: Promise<boolean>;
  resolve: (committed: boolean) => void;
}

function newBatch(): Batch {
  let resolve: (committed: boolean) => void = () => {};
  const done = new Promise<boolean>((r) => (resolve = r));
  return { clicks: [], done, resolve };
}

/**
 * The click journal: group commit. Every click appended during one turn of the event loop (and
 * while the previous commit runs) is written in one transaction, and each `append` resolves only
 * when its click is committed — so the redirect answers after the commit and a `kill -9` loses no
 * answered click (DESIGN.md, redirect hot path, step 5).
 *
 * When the store fails, `append` resolves `false` (the caller still redirects the person: a broken
 * database must not break a campaign) once the batch is fsync'd to the spill. Until the spill is
 * replayed, later batches go straight to it: a store that is down or locked costs each of them one
 * fsync, not one timeout. Without a spill (or when it fails too) the clicks wait in memory.
 *
 * @example const committed = await journal.append(click);
 */
export class ClickJournal {
  // Every click of a batch shares one promise: a click costs an array push, not a promise, a
  // closure and a record of its own (the redirect's hot path, DESIGN.md).
  private pending: Batch = newBatch();
  private retry: ClickRecord[] = [];
  private scheduled = false;
  /** Set while a scheduled commit waits out `minIntervalMs`. */
  private windowTimer: NodeJS.Timeout | null = null;
  /** When the last commit started (performance.now()). */
  private lastStart = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | null = null;
  private closed = false;
  /** The store failed and the spill holds clicks: new batches join them until a replay empties it. */
  private degraded: boolean;
  private replayTimer: NodeJS.Timeout | null = null;
  /** A replay failed and none has worked since: the next failures are the same outage. */
  private replayFailing = false;

  constructor(private readonly options: JournalOptions) {
    this.degraded = options.spill?.pending ?? false;
  }

  append(click: ClickRecord): Promise<boolean> {
    if (this.closed) return Promise.reject(new Error('The click journal is closed'));
    const batch = this.pending;
    batch.clicks.push(click);
    if (this.windowTimer && this.full()) this.runScheduled();
    else this.schedule();
    return batch.done;
  }

  /** Clicks waiting to be committed (including those kept in memory after a failed commit). */
  get backlog(): number {
    return this.pending.clicks.length + this.retry.length;
  }

  /** True while spilled clicks wait to go back into the store. */
  get spilling(): boolean {
    return this.degraded;
  }

  /**
   * Writes the spilled clicks back into the store now (the server calls it at start); on failure
   * it is retried every `retryDelayMs`. Resolves with the clicks replayed.
   */
  async replay(): Promise<number> {
    const { spill, replay } = this.options;
    if (!spill || !replay) return 0;
    if (this.replayTimer) clearTimeout(this.replayTimer);
    this.replayTimer = null;
    try {
      const replayed = await spill.drain(replay);
      if (replayed > 0) this.options.onReplay?.(replayed);
      // Clicks spilled while the replay ran are in a new segment: go round again.
      if (spill.pending) this.scheduleReplay(0);
      else this.degraded = false;
      this.replayFailing = false;
      return replayed;
    } catch (error) {
      // Reported once per outage, not once per retry.
      if (!this.replayFailing) this.options.onError?.(error, 0);
      this.replayFailing = true;
      this.scheduleReplay();
      throw error;
    }
  }

  /** Commits (or spills) everything appended so far; used on shutdown. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.replayTimer) clearTimeout(this.replayTimer);
    while (this.running || this.pending.clicks.length > 0 || this.retry.length > 0) {
      if (this.running) await this.running;
      else {
        const before = this.backlog;
        await this.run();
        if (this.backlog >= before) break; // the store is failing; give up rather than spin
      }
    }
    await this.options.spill?.close();
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    // At the end of the turn, when every click of the turn is in: commit, or wait out the rest
    // of `minIntervalMs` (cut short by `append` once a full batch waits).
    setImmediate(() => {
      const wait = (this.options.minIntervalMs ?? 0) - (performance.now() - this.lastStart);
      if (wait > 0 && !this.full()) this.windowTimer = setTimeout(() => this.runScheduled(), wait);
      else this.runScheduled();
    });
  }

  private runScheduled(): void {
    if (this.windowTimer) clearTimeout(this.windowTimer);
    this.windowTimer = null;
    this.scheduled = false;
    void this.run();
  }

  private full(): boolean {
    return this.pending.clicks.length >= (this.options.fullBatch ?? Number.POSITIVE_INFINITY);
  }

  private scheduleReplay(delay = this.options.retryDelayMs ?? 1000): void {
    if (this.closed || this.replayTimer) return;
    this.replayTimer = setTimeout(() => {
      this.replayTimer = null;
      this.replay().catch(() => undefined);
    }, delay);
    this.replayTimer.unref();
  }

  private run(): Promise<void> {
    // A window timer that fired after close() took everything: nothing to write.
    if (this.pending.clicks.length === 0 && this.retry.length === 0) return Promise.resolve();
    this.lastStart = performance.now();
    const waiting = this.pending;
    this.pending = newBatch();
    const batch = this.retry.length > 0 ? [...this.retry, ...waiting.clicks] : waiting.clicks;
    const previousRetry = this.retry;
    this.retry = [];
    this.running = this.commit(batch).then(
      (committed) => waiting.resolve(committed),
      (error: unknown) => {
        // Neither the store nor the spill took the batch: keep it in memory and retry.
        this.options.onError?.(error, batch.length);
        const keep = [...previousRetry, ...waiting.clicks];
        const max = this.options.maxPending ?? 100_000;
        this.retry = keep.length > max ? keep.slice(keep.length - max) : keep;
        waiting.resolve(false);
        if (!this.closed) setTimeout(() => this.schedule(), this.options.retryDelayMs ?? 1000).unref();
      },
    );
    return this.running.finally(() => {
      this.running = null;
      if (this.pending.clicks.length > 0) this.schedule();
    });
  }

  /** Resolves true when committed, false when spilled; rejects when neither worked. */
  private async commit(batch: readonly ClickRecord[]): Promise<boolean> {
    const { spill } = this.options;
    if (spill && this.degraded) {
      await spill.append(batch);
      this.options.onSpill?.(batch.length);
      return false;
    }
    const started = process.hrtime.bigint();
    try {
      await this.bounded(this.options.write(batch));
    } catch (error) {
      if (!spill) throw error;
      this.options.onError?.(error, batch.length);
      await spill.append(batch);
      this.options.onSpill?.(batch.length);
      this.degraded = true;
      this.scheduleReplay();
      return false;
    }
    this.options.onCommit?.(batch.length, Number(process.hrtime.bigint() - started) / 1e9);
    return true;
  }

  private bounded(write: Promise<void>): Promise<void> {
    const ms = this.options.commitTimeoutMs;
    if (ms === undefined) return write;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`click commit took longer than ${ms} ms`)), ms);
    });
    // A late failure of the abandoned write must not surface as an unhandled rejection.
    write.catch(() => undefined);
    return Promise.race([write, timeout]).finally(() => clearTimeout(timer));
  }
}
