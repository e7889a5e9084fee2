import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildServer, type Server } from '../../src/server.js';
import { ADMIN_KEY } from '../support/server.js';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

/**
 * The SQLite store's files are readable by their owner only (issue 10, 1.8), whatever the umask:
 * a new DATA_DIR is 0700, the database, its WAL and -shm files 0600, also after an upgrade from
 * files an older version left readable by everyone.
 */
describe('data files are private to their owner [sqlite]', () => {
  let root: string;
  let server: Server | undefined;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'chatmark-files-'));
    // The usual default: files would be world-readable unless Chatmark says otherwise.
    umask = process.umask(0o022);
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  const start = async (dataDir: string) => {
    server = await buildServer(loadConfig({ DATA_DIR: dataDir, CHATMARK_API_KEY: ADMIN_KEY }), {
      logger: false,
    });
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/campaigns',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Spring', owner: 'ana' }),
    });
    expect(created.statusCode).toBe(201);
    return server;
  };

  it('creates DATA_DIR 0700 and the database, WAL and shared-memory files 0600', async () => {
    const dataDir = join(root, 'var', 'chatmark');
    await start(dataDir);
    const db = join(dataDir, 'chatmark.db');
    expect(existsSync(`${db}-wal`)).toBe(true);
    expect(existsSync(`${db}-shm`)).toBe(true);
    expect({
      dir: modeOf(dataDir),
      db: modeOf(db),
      wal: modeOf(`${db}-wal`),
      shm: modeOf(`${db}-shm`),
    }).toEqual({ dir: '700', db: '600', wal: '600', shm: '600' });
  });

  it('makes the files of an existing store 0600 on start', async () => {
    const dataDir = join(root, 'data');
    const db = join(dataDir, 'chatmark.db');
    // An older version's store, left open-ish: the WAL and -shm files exist, everything 0644.
    mkdirSync(dataDir);
    const old = new SqliteDatabase(db);
    old.pragma('journal_mode = WAL');
    old.exec('create table t (x); insert into t values (1)');
    for (const path of [db, `${db}-wal`, `${db}-shm`]) chmodSync(path, 0o644);
    expect(modeOf(`${db}-wal`)).toBe('644');
    try {
      await start(dataDir);
      expect([modeOf(db), modeOf(`${db}-wal`), modeOf(`${db}-shm`)]).toEqual(['600', '600', '600']);
    } finally {
      old.close();
    }
  });
});
