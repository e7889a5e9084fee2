import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from 'kysely';
import {
  type ClickRecord,
  clickRow,
  insertClicksQuery,
  dailyRollupRows,
  rollupRows,
  upsertDailyRollupsQuery,
  upsertRollupsQuery,
} from '../clicks.repository.js';
import type { ChatmarkAdapter, DialectInfo, StoreDb } from '../dialect.js';
import type { Database } from '../schema.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import { SqliteReadWriteDriver } from './sqlite-driver.js';

export const SQLITE: DialectInfo = {
  name: 'sqlite',
  serial: 'integer',
  bigint: 'integer',
  clusteredTables: true,
  autoIncrement: (column) => column.autoIncrement(),
  // One writer at a time (BEGIN IMMEDIATE): a transaction's reads already see every commit.
  keyLocks: false,
  lockInTransaction: () => Promise.resolve(),
};

/**
 * The embedded default: one file, WAL, `synchronous = NORMAL` (a commit survives a process kill;
 * only an OS crash can lose the last commits, DESIGN.md's trade for the redirect's speed).
 * `:memory:` gives a private in-memory database for tests.
 */
export function openSqlite(file: string): StoreDb & { readonly raw: SqliteDatabase.Database } {
  if (file !== ':memory:') ownerOnly(file);
  const raw = new SqliteDatabase(file);
  raw.pragma('journal_mode = WAL');
  if (file !== ':memory:') ownerOnly(file);
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const checkpointer = file === ':memory:' ? null : startCheckpointer(file);
  if (checkpointer) raw.pragma('wal_autocheckpoint = 0');
  // Reads outside transactions on a connection of their own (a private in-memory database has
  // only the one connection).
  const reader = file === ':memory:' ? null : new SqliteDatabase(file, { readonly: true });
  reader?.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const driver = new SqliteReadWriteDriver({
    writer: withStatementCache(raw),
    reader: reader && withStatementCache(reader),
    busyMs: WRITE_WAIT_MS,
  });
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new ChatmarkSqliteAdapter(),
      createDriver: () => driver,
      createIntrospector: (kysely) => new SqliteIntrospector(kysely),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
  let writer: ReturnType<typeof preparedClickWriter> | null = null;
  const boundedBusy = boundedBusyWriter(raw);

  // WAL checkpoints off the event loop (see sqlite-checkpointer.ts), due every second while
  // clicks flow and every ten seconds anyway for the API's own writes. A passive checkpoint runs
  // beside the commits first; the restart that follows, which commits must wait for, then has
  // only the frames committed since to copy.
  let checkpointing: Promise<void> | null = null;
  let passive: Promise<void> | null = null;
  let passiveDone = false;
  let lastCheckpoint = Date.now();
  const checkpoint = () => {
    if (!checkpointer) return Promise.resolve();
    checkpointing ??= checkpointer.restart().finally(() => {
      checkpointing = null;
      passiveDone = false;
      lastCheckpoint = Date.now();
    });
    return checkpointing;
  };
  const startPassive = () => {
    if (!checkpointer) return Promise.resolve();
    passive ??= checkpointer.passive().finally(() => {
      passive = null;
      passiveDone = true;
    });
    return passive;
  };
  const timer = checkpointer ? setInterval(() => void startPassive().then(checkpoint), 10_000) : null;
  timer?.unref();

  return {
    db,
    raw,
    dialect: SQLITE,
    async writeClicks(batch) {
      if (checkpointing) await withinBusyTimeout(checkpointing);
      else if (checkpointer && Date.now() - lastCheckpoint > 1000) {
        if (passiveDone) await withinBusyTimeout(checkpoint());
        else void startPassive();
      }
      // Prepared once, after the migrations made the tables. When a Kysely transaction (or a
      // write waiting for the lock) holds the connection, wait for it so the batch never lands
      // inside it; otherwise commit right away (the usual case, and the cheap one).
      writer ??= preparedClickWriter(raw, db);
      const run = writer.write;
      if (driver.writerHeld) await driver.withWriter(() => boundedBusy(() => run(batch)));
      else boundedBusy(() => run(batch));
    },
    ping: async () => void (await sql`select 1`.execute(db)),
    async replayClicks(batch) {
      writer ??= preparedClickWriter(raw, db);
      const run = writer.replay;
      if (driver.writerHeld) return driver.withWriter(() => boundedBusy(() => run(batch)));
      return boundedBusy(() => run(batch));
    },
    close: async () => {
      if (timer) clearInterval(timer);
      await checkpointing;
      await db.destroy();
      await checkpointer?.stop();
    },
  };
}

/**
 * How long a click commit waits for another connection's write lock (SQLite's busy timeout, which
 * sleeps on the event loop). A redirect waits for its commit: past this the batch goes to the spill.
 */
export const CLICK_BUSY_TIMEOUT_MS = 250;
/**
 * The connections' own busy timeout: SQLite's busy handler sleeps on the event loop, so it only
 * rides out a short lock (a checkpoint's). Longer waits are the driver's, asynchronous.
 */
const BUSY_TIMEOUT_MS = 10;
/** How long an API write waits, in all, for another process's write lock before SQLITE_BUSY (503). */
const WRITE_WAIT_MS = 5000;

/**
 * Runs synchronous writes with the click commit's short busy timeout, switching the connection's
 * timeout with two statements prepared once (`raw.pragma` prepares on every call: a tenth of a
 * click commit's time).
 */
function boundedBusyWriter(raw: SqliteDatabase.Database) {
  const short = raw.prepare(`pragma busy_timeout = ${CLICK_BUSY_TIMEOUT_MS}`);
  const normal = raw.prepare(`pragma busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return <T>(write: () => T): T => {
    short.get();
    try {
      return write();
    } finally {
      normal.get();
    }
  };
}

/** A checkpoint the click commit must wait for, given up (as SQLITE_BUSY) after the busy timeout. */
function withinBusyTimeout(wait: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const busy = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error('database is locked (the WAL checkpoint is waiting for a lock)'), {
            code: 'SQLITE_BUSY',
          }),
        ),
      CLICK_BUSY_TIMEOUT_MS,
    );
  });
  return Promise.race([wait, busy]).finally(() => clearTimeout(timer));
}

/**
 * The store's files hold contacts, key hashes and every click: readable by their owner only. A new
 * data directory is made 0700 (an existing one is the operator's to set), and the database, its
 * WAL and its shared-memory file are made 0600, also when an older version left them readable.
 * SQLite creates the WAL and -shm files with the database file's mode, so a new database file is
 * created 0600 before SQLite opens it.
 */
function ownerOnly(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(path, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/**
 * Rows per multi-row INSERT, largest first: a batch is cut into these sizes (25 clicks: 16 + 8 + 1),
 * so a typical commit runs three statements instead of one per click.
 */
const ROWS_PER_STATEMENT = [32, 16, 8, 4, 2, 1] as const;

/** The click columns in the order `clickRow` lists them (checked against it at start). */
const CLICK_COLUMNS = [
  'id',
  'link_id',
  'at',
  'visitor_hash',
  'device',
  'os',
  'browser',
  'referrer_host',
  'qr',
  'bot',
  'bot_reason',
  'country',
  'ad_ids',
] as const;

/** `clickRow(click)`'s values, pushed straight into the statement's arguments (no row object). */
function pushClick(args: unknown[], c: ClickRecord): void {
  args.push(
    c.id,
    c.linkId,
    c.at,
    c.visitorHash,
    c.device,
    c.os,
    c.browser,
    c.referrerHost,
    c.qr ? 1 : 0,
    c.bot ? 1 : 0,
    c.botReason,
    c.country,
    c.adIds === null ? null : JSON.stringify(c.adIds),
  );
}

/**
 * The journal's write as prepared statements in one synchronous transaction: clicks in
 * multi-row INSERTs of 32, 16, … 1 rows, then one upsert per rollup key. The SQL is
 * Kysely's, the same queries as `insertClicks`, compiled once.
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
    adIds: { gclid: 'x' },
  };
  const row = clickRow(sample);
  const check: unknown[] = [];
  pushClick(check, sample);
  if (
    Object.keys(row).join() !== CLICK_COLUMNS.join() ||
    JSON.stringify(Object.values(row)) !== JSON.stringify(check)
  ) {
    throw new Error('preparedClickWriter: the click columns differ from clickRow');
  }
  const rollup = rollupRows([sample])[0];
  if (Object.keys(rollup ?? {}).join() !== 'link_id,hour,bot,device,qr,clicks') {
    throw new Error('preparedClickWriter: the rollup columns differ from rollupRows');
  }
  if (Object.keys(dailyRollupRows(rollupRows([sample]))[0] ?? {}).join() !== 'link_id,day,bot,clicks') {
    throw new Error('preparedClickWriter: the daily rollup columns differ from dailyRollupRows');
  }
  const inserts = ROWS_PER_STATEMENT.map((rows) => ({
    rows,
    statement: raw.prepare(insertClicksQuery(db, Array<typeof row>(rows).fill(row)).compile().sql),
  }));
  const upsert = raw.prepare(upsertRollupsQuery(db, rollupRows([sample])).compile().sql);
  const upsertDaily = raw.prepare(
    upsertDailyRollupsQuery(db, dailyRollupRows(rollupRows([sample]))).compile().sql,
  );
  const insertIgnore = raw.prepare(
    insertClicksQuery(db, [row])
      .onConflict((oc) => oc.column('id').doNothing())
      .compile().sql,
  );
  const addRollups = (clicks: readonly ClickRecord[]) => {
    const hourly = rollupRows(clicks);
    for (const rollup of hourly) {
      upsert.run(rollup.link_id, rollup.hour, rollup.bot, rollup.device, rollup.qr, rollup.clicks);
    }
    for (const daily of dailyRollupRows(hourly))
      upsertDaily.run(daily.link_id, daily.day, daily.bot, daily.clicks);
  };
  const write = raw.transaction((batch: readonly ClickRecord[]) => {
    let i = 0;
    for (const { rows, statement } of inserts) {
      for (; i + rows <= batch.length; i += rows) {
        const args: unknown[] = [];
        for (let j = i; j < i + rows; j += 1) pushClick(args, batch[j] as ClickRecord);
        statement.run(args);
      }
    }
    addRollups(batch);
  });
  // Spilled clicks one by one: a click already in the store (a replay repeated after a crash, or a
  // commit that ended after the journal gave up on it) is skipped and stays out of the rollups.
  const replay = raw.transaction((batch: readonly ClickRecord[]): number => {
    const written: ClickRecord[] = [];
    for (const click of batch) {
      const args: unknown[] = [];
      pushClick(args, click);
      if (insertIgnore.run(args).changes === 1) written.push(click);
    }
    addRollups(written);
    return written.length;
  });
  return {
    write: (batch: readonly ClickRecord[]) => void write(batch),
    replay: (batch: readonly ClickRecord[]) => replay(batch),
  };
}

class ChatmarkSqliteAdapter extends SqliteAdapter implements ChatmarkAdapter {
  readonly chatmark = SQLITE;
}

/**
 * The connection as Kysely sees it, with prepared statements kept by SQL text: Kysely prepares
 * every query it runs, and preparing costs as much as running for the small statements of the
 * API (a fifth of the events ingest's time). A statement still being iterated is not handed out
 * twice.
 */
function withStatementCache(raw: SqliteDatabase.Database, size = 500) {
  const statements = new LRUCache<string, SqliteDatabase.Statement>({ max: size });
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      const cached = statements.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = raw.prepare(sql);
      statements.set(sql, statement);
      return statement;
    },
  };
}
