import { describe, expect, it } from 'vitest';
import { clickRecord } from '../../test/support/clicks.js';
import { ClickNumbers } from './click-numbers.js';
import { ClickJournal } from './journal.js';

const click = (id: number) => clickRecord(id, { at: 0 });

describe('ClickJournal (group commit)', () => {
  it('writes every click appended in one event-loop turn in one batch, and resolves after the write', async () => {
    const batches: number[][] = [];
    let committed = false;
    const journal = new ClickJournal({
      write: async (batch) => {
        await new Promise((r) => setTimeout(r, 5));
        batches.push(batch.map((c) => c.id));
        committed = true;
      },
    });
    const answers = [1, 2, 3].map((id) => journal.append(click(id)).then((ok) => ({ ok, committed })));
    expect(await Promise.all(answers)).toEqual([
      { ok: true, committed: true },
      { ok: true, committed: true },
      { ok: true, committed: true },
    ]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('with minIntervalMs, commits an idle journal at once and shares one commit among the clicks of the window', async () => {
    // A long window, so a loaded machine's delays (tens of ms) stay far from every bound.
    const WINDOW = 2000;
    const starts: number[] = [];
    const batches: number[][] = [];
    const journal = new ClickJournal({
      write: async (batch) => {
        starts.push(performance.now());
        batches.push(batch.map((c) => c.id));
      },
      minIntervalMs: WINDOW,
      fullBatch: 4,
    });
    const began = performance.now();
    await journal.append(click(1));
    // Idle: committed at the end of its turn, not after the window.
    expect(performance.now() - began).toBeLessThan(WINDOW / 2);
    // A stream of single clicks within the window waits for it, and they share one commit.
    const stream = [2, 3].map((id) => journal.append(click(id)));
    await new Promise((r) => setTimeout(r, 20));
    stream.push(journal.append(click(4)));
    await Promise.all(stream);
    expect(batches).toEqual([[1], [2, 3, 4]]);
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(WINDOW - 1);
    // A full batch does not wait out the window, also when it fills while the window runs.
    const full = performance.now();
    const first = journal.append(click(5));
    await new Promise((r) => setTimeout(r, 20));
    await Promise.all([first, ...[6, 7, 8].map((id) => journal.append(click(id)))]);
    expect(performance.now() - full).toBeLessThan(WINDOW / 2);
    expect(batches.at(-1)).toEqual([5, 6, 7, 8]);
    await journal.close();
  });

  it('queues clicks that arrive during a commit for the next one', async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const journal = new ClickJournal({
      write: (batch) => {
        batches.push(batch.map((c) => c.id));
        return batches.length === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
      },
    });
    const first = journal.append(click(1));
    await new Promise((r) => setImmediate(r));
    const later = [journal.append(click(2)), journal.append(click(3))];
    expect(batches).toEqual([[1]]);
    release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('answers false when the store fails, keeps the clicks and writes them with the next batch', async () => {
    const written: number[] = [];
    let failing = true;
    const errors: number[] = [];
    const journal = new ClickJournal({
      write: async (batch) => {
        if (failing) throw new Error('database is locked');
        written.push(...batch.map((c) => c.id));
      },
      onError: (_e, size) => errors.push(size),
      retryDelayMs: 5,
    });
    expect(await journal.append(click(1))).toBe(false);
    expect(journal.backlog).toBe(1);
    failing = false;
    expect(await journal.append(click(2))).toBe(true);
    expect(written).toEqual([1, 2]);
    expect(errors).toEqual([1]);
    expect(journal.backlog).toBe(0);
  });

  it('commits what is pending on close and refuses new clicks after', async () => {
    const written: number[] = [];
    const journal = new ClickJournal({
      write: async (batch) => void written.push(...batch.map((c) => c.id)),
    });
    const pending = journal.append(click(7));
    await journal.close();
    expect(await pending).toBe(true);
    expect(written).toEqual([7]);
    await expect(journal.append(click(8))).rejects.toThrow(/closed/);
  });
});

describe('ClickNumbers', () => {
  it('hands out consecutive numbers from reserved blocks and reserves the next block ahead', async () => {
    let next = 1;
    const reservations: number[] = [];
    const numbers = new ClickNumbers(async (size) => {
      reservations.push(next);
      const first = next;
      next += size;
      return first;
    }, 10);
    const taken: number[] = [];
    for (let i = 0; i < 25; i += 1) taken.push(await numbers.take());
    expect(taken).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(reservations.length).toBeGreaterThanOrEqual(3);
  });

  it('gives distinct numbers to concurrent takers while a block is being reserved', async () => {
    let next = 100;
    const numbers = new ClickNumbers(async (size) => {
      await new Promise((r) => setTimeout(r, 2));
      const first = next;
      next += size;
      return first;
    }, 4);
    const taken = await Promise.all(Array.from({ length: 12 }, () => numbers.take()));
    expect(new Set(taken).size).toBe(12);
  });

  it('retries after a failed reservation', async () => {
    let calls = 0;
    const numbers = new ClickNumbers(async () => {
      calls += 1;
      if (calls === 1) throw new Error('connection reset');
      return 500;
    }, 10);
    await expect(numbers.take()).rejects.toThrow('connection reset');
    expect(await numbers.take()).toBe(500);
  });
  it('keeps a spare block, so numbers last through a store outage, and retries a failed reservation after a pause, not per click', async () => {
    let next = 1;
    let down = false;
    let attempts = 0;
    const clock = { now: 0 };
    const numbers = new ClickNumbers(
      async (size) => {
        attempts += 1;
        if (down) throw new Error('database is locked');
        const first = next;
        next += size;
        return first;
      },
      10,
      30_000,
      () => clock.now,
    );
    expect(await numbers.take()).toBe(1);
    await new Promise((r) => setImmediate(r)); // the spare block arrives
    down = true;
    const taken: number[] = [];
    // The current block's 9 numbers and the spare's 10, while every reservation fails.
    for (let i = 0; i < 19; i += 1) taken.push(await numbers.take());
    expect(taken).toEqual(Array.from({ length: 19 }, (_, i) => i + 2));
    await new Promise((r) => setImmediate(r));
    const failedAttempts = attempts;
    // Out of numbers: a click waits on a reservation of its own, which fails; the next clicks do
    // not each retry before the pause is over.
    await expect(numbers.take()).rejects.toThrow('locked');
    expect(attempts).toBe(failedAttempts + 1);
    down = false;
    clock.now += 1000;
    expect(await numbers.take()).toBe(21);
  });
});
