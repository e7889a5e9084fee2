import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { SQLITE, type StoreDb } from '../dialect.js';
import type { Database } from '../schema.js';

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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  return {
    db,
    raw,
    dialect: SQLITE,
    close: () => db.destroy(),
  };
}
