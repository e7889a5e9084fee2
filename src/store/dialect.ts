import type { ColumnDefinitionBuilder, DialectAdapter, Kysely } from 'kysely';
import type { ClickRecord } from './clicks.repository.js';
import type { Db } from './db.js';
import type { Database } from './schema.js';

/**
 * What differs between the two engines, declared once (Kysely's habit: capability flags, not
 * `if (db === …)` scattered through queries).
 */
export interface DialectInfo {
  readonly name: 'sqlite' | 'postgres';
  /** Column type for an auto-incrementing integer key. */
  readonly serial: 'integer' | 'serial';
  /** Column type for 64-bit integers (epoch milliseconds, click numbers). */
  readonly bigint: 'integer' | 'bigint';
  /** Tables can be stored in their primary key's order (SQLite `WITHOUT ROWID`). */
  readonly clusteredTables: boolean;
  /** Adds the auto-increment clause an engine needs beside `serial`. */
  readonly autoIncrement: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  /**
   * Several writers can run at once (PostgreSQL, several servers), so a writer locks the keys it
   * decides on before reading them. SQLite has one writer at a time and needs no lock.
   */
  readonly keyLocks: boolean;
  /**
   * Holds each lock until the transaction ends, taken in one statement in the order given (shared
   * ones as shared locks), so writers that list their locks in one order cannot deadlock. Does
   * nothing where `keyLocks` is false.
   */
  readonly lockInTransaction: (db: Db, locks: readonly TransactionLock[]) => Promise<void>;
}

/** A transaction-scoped lock: an application-chosen namespace and a 32-bit key within it. */
export interface TransactionLock {
  readonly space: number;
  readonly key: number;
  readonly shared?: boolean;
}

/**
 * A Kysely adapter that carries the dialect's capabilities, as Kysely's own adapters carry theirs
 * (`supportsReturning`): a repository function given `db | trx` reads them with `dialectOf`.
 */
export interface ChatmarkAdapter extends DialectAdapter {
  readonly chatmark: DialectInfo;
}

/** The capabilities of the store `db` (or a transaction on it) was opened on. */
export function dialectOf(db: Db): DialectInfo {
  const adapter = db.getExecutor().adapter as Partial<ChatmarkAdapter>;
  if (adapter.chatmark === undefined) throw new Error('This database was not opened by openStore.');
  return adapter.chatmark;
}

/** An open database: the query builder plus what the dialect supports. */
export interface StoreDb {
  readonly db: Kysely<Database>;
  readonly dialect: DialectInfo;
  /** The PostgreSQL schema the tables live in (undefined on SQLite). */
  readonly schema?: string | undefined;
  /** Commits a batch of clicks and their rollups in one transaction (the click journal's write). */
  writeClicks(batch: readonly ClickRecord[]): Promise<void>;
  /**
   * Writes clicks back from the journal's spill, skipping any click id the store already holds
   * and adding only the written ones to the rollups, so a replay repeated after a crash counts
   * every click once. Resolves with the clicks written.
   */
  replayClicks(batch: readonly ClickRecord[]): Promise<number>;
  /** Resolves once the database answered a trivial query (readiness); rejects while it cannot. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
