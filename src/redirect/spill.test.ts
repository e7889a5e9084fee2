import { appendFileSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClickRecord } from '../store/clicks.repository.js';
import { ClickJournal } from './journal.js';
import { ClickSpill, parseSegment } from './spill.js';

const click = (id: number, linkId = 1): ClickRecord => ({
  id,
  linkId,
  at: 1_700_000_000_000 + id,
  visitorHash: `v${id}`,
  device: 'mobile',
  os: 'iOS',
  browser: null,
  referrerHost: null,
  qr: false,
  bot: false,
  botReason: null,
  country: null,
  adIds: id % 2 ? { gclid: `g${id}` } : null,
});

/**
 * A store that can be switched off, with the store's exactly-once replay: a click id it already
 * holds is skipped and not counted again. `commitThenFail` commits and then reports a failure,
 * as a connection that drops before the COMMIT's answer does.
 */
function fakeStore() {
  const rows = new Map<number, ClickRecord>();
  const rollup = new Map<number, number>();
  const state = { down: false, commitThenFail: false, writes: 0, replays: 0 };
  const add = (c: ClickRecord) => {
    rows.set(c.id, c);
    rollup.set(c.linkId, (rollup.get(c.linkId) ?? 0) + 1);
  };
  return {
    rows,
    rollup,
    state,
    async write(batch: readonly ClickRecord[]) {
      state.writes += 1;
      if (state.down) throw new Error('database is locked');
      for (const c of batch) add(c);
      if (state.commitThenFail) throw new Error('connection terminated after COMMIT');
    },
    async replay(batch: readonly ClickRecord[]) {
      state.replays += 1;
      if (state.down) throw new Error('database is locked');
      const fresh = batch.filter((c) => !rows.has(c.id));
      for (const c of fresh) add(c);
      return fresh.length;
    },
  };
}

const spillDir = () => join(mkdtempSync(join(tmpdir(), 'chatmark-spill-')), 'spill');
const spilledIds = (dir: string) =>
  readdirSync(dir).flatMap((name) => parseSegment(readFileSync(join(dir, name), 'utf8')).map((c) => c.id));

describe('ClickJournal with a spill (an answered click survives a failing store)', () => {
  it('answers a failed batch only once it is on disk, spills later batches without waiting on the store, and replays each click once', async () => {
    const dir = spillDir();
    const store = fakeStore();
    const spill = await ClickSpill.open(dir);
    const replayErrors: unknown[] = [];
    const journal = new ClickJournal({
      write: (b) => store.write(b),
      replay: (b) => store.replay(b),
      spill,
      retryDelayMs: 60_000, // replays below are started by hand
      onError: (error, size) => size === 0 && replayErrors.push(error),
    });
    store.state.down = true;
    const first = await Promise.all([1, 2, 3].map((id) => journal.append(click(id))));
    expect(first).toEqual([false, false, false]);
    // On disk, in a file only this user can read, before the answers.
    expect(spilledIds(dir)).toEqual([1, 2, 3]);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);

    // The store is still failing: the next batch goes straight to the spill, no commit attempt.
    const writes = store.state.writes;
    expect(await journal.append(click(4))).toBe(false);
    expect(store.state.writes).toBe(writes);
    expect(spilledIds(dir)).toEqual([1, 2, 3, 4]);

    // A replay while the store is down keeps everything; the outage is reported once, not per retry.
    await expect(journal.replay()).rejects.toThrow('locked');
    await expect(journal.replay()).rejects.toThrow('locked');
    expect(spilledIds(dir)).toEqual([1, 2, 3, 4]);
    expect(replayErrors).toHaveLength(1);

    store.state.down = false;
    expect(await journal.replay()).toBe(4);
    expect([...store.rows.keys()]).toEqual([1, 2, 3, 4]);
    expect(readdirSync(dir)).toEqual([]);
    expect(journal.spilling).toBe(false);
    // Back to normal commits.
    expect(await journal.append(click(5))).toBe(true);
    expect(store.rollup.get(1)).toBe(5);
    await journal.close();
  });

  it('after a crash, the next process replays the spill; a commit that landed although it failed is not counted twice', async () => {
    const dir = spillDir();
    const store = fakeStore();
    const before = new ClickJournal({
      write: (b) => store.write(b),
      replay: (b) => store.replay(b),
      spill: await ClickSpill.open(dir),
      retryDelayMs: 60_000,
    });
    store.state.commitThenFail = true;
    expect(await Promise.all([10, 11].map((id) => before.append(click(id, 2))))).toEqual([false, false]);
    store.state.commitThenFail = false;
    store.state.down = true;
    expect(await before.append(click(12, 2))).toBe(false);
    // A crash: no close. A write cut short by it leaves a torn last line, never fsync'd, never answered.
    const [segment] = readdirSync(dir);
    appendFileSync(join(dir, String(segment)), '{"id":99,"linkId":2,"at":17');

    store.state.down = false;
    const after = new ClickJournal({
      write: (b) => store.write(b),
      replay: (b) => store.replay(b),
      spill: await ClickSpill.open(dir),
    });
    expect(after.spilling).toBe(true);
    expect(await after.replay()).toBe(3);
    expect([...store.rows.keys()].sort()).toEqual([10, 11, 12]);
    expect(store.rollup.get(2)).toBe(3);
    // The same segment replayed again (a crash after the replay's commit, before the delete): no change.
    expect(await after.replay()).toBe(0);
    expect(store.rollup.get(2)).toBe(3);
    await after.close();
  });

  it('a commit that does not answer within commitTimeoutMs is spilled, and its late commit is not counted twice', async () => {
    const dir = spillDir();
    const store = fakeStore();
    let release: () => void = () => {};
    const journal = new ClickJournal({
      write: async (b) => {
        await new Promise<void>((r) => (release = r));
        await store.write(b);
      },
      replay: (b) => store.replay(b),
      spill: await ClickSpill.open(dir),
      commitTimeoutMs: 30,
      retryDelayMs: 60_000,
    });
    const started = Date.now();
    expect(await journal.append(click(20))).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(store.rows.has(20)).toBe(true);
    expect(await journal.replay()).toBe(1);
    expect(store.rollup.get(1)).toBe(1);
    await journal.close();
  });

  it('replays a spill that arrives while a replay runs in a second round, leaving nothing behind', async () => {
    const dir = spillDir();
    const store = fakeStore();
    const spill = await ClickSpill.open(dir);
    await spill.append([click(30), click(31)]);
    let appendDuring: Promise<void> | null = null;
    const replayed = await spill.drain(async (batch) => {
      appendDuring ??= spill.append([click(32)]);
      await store.replay(batch);
    });
    await appendDuring;
    expect(replayed).toBe(2);
    expect(spill.pending).toBe(true);
    expect(await spill.drain((b) => store.replay(b))).toBe(1);
    expect(spill.pending).toBe(false);
    expect([...store.rows.keys()]).toEqual([30, 31, 32]);
    expect(readdirSync(dir)).toEqual([]);
  });
});
