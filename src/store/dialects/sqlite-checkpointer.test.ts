import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clickRecord } from '../../../test/support/clicks.js';
import { openStore } from '../open-store.js';

const dir = mkdtempSync(join(tmpdir(), 'chatmark-wal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let next = 1;
const clicks = (n: number) =>
  Array.from({ length: n }, () =>
    clickRecord(next++, { visitorHash: 'abcdefghijklmnopqrstuv', os: 'iOS', browser: 'Mobile Safari' }),
  );

describe('SQLite WAL checkpoints off the event loop', () => {
  it('restarts the WAL between commits so it does not grow with every click, and truncates it on close', async () => {
    const file = join(dir, 'chatmark.db');
    const store = await openStore({ kind: 'sqlite', file });
    const wal = () => statSync(`${file}-wal`).size;
    for (let i = 0; i < 200; i += 1) await store.writeClicks(clicks(100));
    const afterFirst = wal();
    expect(afterFirst).toBeGreaterThan(1_000_000);
    await new Promise((r) => setTimeout(r, 1100)); // a checkpoint is due before the next commit
    // Commits with turns of the event loop between them, as the journal's are: the passive
    // checkpoint runs beside them and the restart after it.
    for (let i = 0; i < 200; i += 1) {
      await store.writeClicks(clicks(100));
      await new Promise((r) => setImmediate(r));
    }
    // The second 20,000 clicks were written over the restarted WAL, not after the first.
    expect(wal()).toBeLessThan(afterFirst * 1.5);
    await store.close();
    // Checkpointed and truncated; SQLite removes the file when its last connection closes.
    expect(existsSync(`${file}-wal`) ? wal() : 0).toBe(0);
    const reopened = await openStore({ kind: 'sqlite', file });
    const row = await reopened.db
      .selectFrom('clicks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(row.n)).toBe(40_000);
    await reopened.close();
  });
});
