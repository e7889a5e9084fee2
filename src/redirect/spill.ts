import { mkdir, open, readdir, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClickRecord } from '../store/clicks.repository.js';

const SEGMENT = /^clicks-(\d{10})\.jsonl$/;
const segmentName = (seq: number) => `clicks-${String(seq).padStart(10, '0')}.jsonl`;

/**
 * The click journal's local spill: clicks whose commit failed, kept on disk until the store takes
 * them back, so an answered click survives a `kill -9` while the store is down (DESIGN.md,
 * scale-out: "a local fsync'd spill file replayed exactly once").
 *
 * Clicks are JSON lines in numbered segment files (mode 0600, in a 0700 directory). A failed batch
 * is one write and one fsync. `drain` closes the segment being appended to, replays the closed ones
 * oldest first and deletes each only after its replay committed; a crash in between replays a
 * segment again, so the replay must be idempotent (the store skips click ids it already holds).
 * One server process per directory: two would delete each other's segments.
 *
 * @example const spill = await ClickSpill.open(join(dataDir, 'spill'));
 */
export class ClickSpill {
  private current: { handle: FileHandle; name: string } | null = null;
  private currentBytes = 0;
  /** Appends and rotations run one after another on this chain. */
  private queue: Promise<unknown> = Promise.resolve();
  private inFlight = 0;
  private closedSegments: string[];
  private draining: Promise<number> | null = null;

  private constructor(
    private readonly dir: string,
    existing: string[],
    private nextSeq: number,
  ) {
    this.closedSegments = existing;
  }

  static async open(dir: string): Promise<ClickSpill> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const names = (await readdir(dir)).filter((n) => SEGMENT.test(n)).sort();
    const last = names.at(-1);
    const nextSeq = last ? Number(SEGMENT.exec(last)?.[1]) + 1 : 1;
    return new ClickSpill(dir, names, nextSeq);
  }

  /** True while any spilled click is not yet back in the store (or is being written here). */
  get pending(): boolean {
    return this.inFlight > 0 || this.currentBytes > 0 || this.closedSegments.length > 0;
  }

  /** Appends a batch and resolves once it is on disk (written and fsync'd). */
  append(batch: readonly ClickRecord[]): Promise<void> {
    this.inFlight += 1;
    const text = batch.map((c) => JSON.stringify(c)).join('\n') + '\n';
    const run = this.queue.then(async () => {
      if (!this.current) {
        const name = segmentName(this.nextSeq++);
        // `wx`: a segment is never reopened, so a torn tail can only be a segment's last line.
        this.current = { handle: await open(join(this.dir, name), 'wx', 0o600), name };
        this.currentBytes = 0;
      }
      const buffer = Buffer.from(text);
      await this.current.handle.write(buffer);
      await this.current.handle.sync();
      this.currentBytes += buffer.length;
    });
    this.queue = run.catch(() => undefined);
    return run.finally(() => {
      this.inFlight -= 1;
    });
  }

  /**
   * Replays every spilled click through `replay` (idempotent, one call per chunk, each its own
   * transaction) and deletes the segments it committed. Resolves with the clicks handed over;
   * rejects on the first failed chunk, leaving that segment and the later ones for next time.
   */
  drain(replay: (clicks: readonly ClickRecord[]) => Promise<unknown>, chunk = 2000): Promise<number> {
    this.draining ??= this.drainOnce(replay, chunk).finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  /** Closes the open segment (its clicks stay on disk for the next start's replay). */
  async close(): Promise<void> {
    await this.rotate();
  }

  private async drainOnce(
    replay: (clicks: readonly ClickRecord[]) => Promise<unknown>,
    chunk: number,
  ): Promise<number> {
    await this.rotate();
    let total = 0;
    while (this.closedSegments.length > 0) {
      const name = this.closedSegments[0] as string;
      const path = join(this.dir, name);
      const clicks = parseSegment(await readFile(path, 'utf8'));
      for (let i = 0; i < clicks.length; i += chunk) await replay(clicks.slice(i, i + chunk));
      await unlink(path);
      this.closedSegments.shift();
      total += clicks.length;
    }
    return total;
  }

  private rotate(): Promise<void> {
    const run = this.queue.then(async () => {
      if (!this.current) return;
      const { handle, name } = this.current;
      this.current = null;
      await handle.close();
      if (this.currentBytes > 0) this.closedSegments.push(name);
      else await unlink(join(this.dir, name));
      this.currentBytes = 0;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * The clicks of a segment. A line that does not parse is the torn tail of a write a crash cut
 * short: its batch was never fsync'd, so none of its clicks was answered as durable.
 */
export function parseSegment(text: string): ClickRecord[] {
  const clicks: ClickRecord[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof value === 'object' && value !== null && Number.isSafeInteger((value as ClickRecord).id))
      clicks.push(value as ClickRecord);
  }
  return clicks;
}
