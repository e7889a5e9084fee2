import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { ClickRecord } from './clicks.repository.js';
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
}

export const SQLITE: DialectInfo = {
  name: 'sqlite',
  serial: 'integer',
  bigint: 'integer',
  clusteredTables: true,
  autoIncrement: (column) => column.autoIncrement(),
};

export const POSTGRES: DialectInfo = {
  name: 'postgres',
  serial: 'serial',
  bigint: 'bigint',
  clusteredTables: false,
  autoIncrement: (column) => column,
};

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
  close(): Promise<void>;
}
