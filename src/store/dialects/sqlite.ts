import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import {
  type ClickRecord,
  clickRow,
  insertClicksQuery,
  rollupRows,
  upsertRollupsQuery,
} from '../clicks.repository.js';
import { SQLITE, type StoreDb } from '../dialect.js';
import type { Database } from '../schema.js';
import { startCheckpointer } from './sqlite-checkpointer.js';

/**
 * The embedded default: one file, WAL, `synchronous = NORMAL` (a commit survives a process kill;
 * only an OS crash can lose the last commits, DESIGN.md's trade for the redirect's speed).
 * `:memory:` gives a private in-memory database for tests.
 */
export function openSqlite(file: string): StoreDb & { readonly raw: SqliteDatabase.Database } {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const raw = new SqliteDatabase(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const checkpointer = file === ':memory:' ? null : startCheckpointer(file);
  if (checkpointer) raw.pragma('wal_autocheckpoint = 0');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  let write: ((batch: readonly ClickRecord[]) => void) | null = null;
  return {
    db,
    raw,
    dialect: SQLITE,
    async writeClicks(batch) {
      // Prepared once, after the migrations made the tables. When an (async) Kysely transaction
      // is open on the connection, wait for Kysely's connection lock so the batch never lands
      // inside it; otherwise commit right away (the usual case, and the cheap one).
      write ??= preparedClickWriter(raw, db);
      const run = write;
      if (raw.inTransaction) await db.connection().execute(async () => run(batch));
      else run(batch);
    },
    close: async () => {
      await db.destroy();
      await checkpointer?.stop();
    },
  };
}

/**
 * The journal's write as two prepared statements in one synchronous transaction. The SQL is
 * Kysely's (the same queries as `insertClicks`), compiled once for a single row.
 */
function preparedClickWriter(raw: SqliteDatabase.Database, db: Kysely<Database>) {
  const sample: ClickRecord = {
    id: 0,
    linkId: 0,
    at: 0,
    visitorHash: '',
    device: '',
    os: null,
    browser: null,
    referrerHost: null,
    qr: false,
    bot: false,
    botReason: null,
    country: null,
    adIds: null,
  };
  const insert = raw.prepare(insertClicksQuery(db, [clickRow(sample)]).compile().sql);
  const upsert = raw.prepare(upsertRollupsQuery(db, rollupRows([sample])).compile().sql);
  return raw.transaction((batch: readonly ClickRecord[]) => {
    for (const click of batch) insert.run(Object.values(clickRow(click)));
    for (const row of rollupRows(batch)) upsert.run(Object.values(row));
  });
}
