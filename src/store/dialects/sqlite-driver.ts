import type SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SelectQueryNode,
  type TransactionSettings,
} from 'kysely';

/** What the driver needs of a better-sqlite3 connection (a statement cache in front of it). */
export interface SqliteHandle {
  prepare(sql: string): SqliteDatabase.Statement;
  close(): void;
}

export interface SqliteDriverOptions {
  /** The connection that writes (and reads inside transactions). Its busy timeout must be short. */
  writer: SqliteHandle;
  /** A second connection to the same file for reads outside transactions; null: the writer reads. */
  reader: SqliteHandle | null;
  /**
   * How long a write waits for another connection's write lock, in all: retried asynchronously
   * (the event loop goes on) after the connection's own short busy timeout, then SQLITE_BUSY.
   */
  busyMs: number;
}

/**
 * Kysely's SQLite driver, rebuilt for a server that must not stop while another process (the CLI's
 * import, a second server, a backup) holds SQLite's write lock:
 *
 * - reads outside a transaction run on their own connection, so they go on while a write waits
 *   (in WAL mode a reader never waits for a writer);
 * - a write, or a transaction's `BEGIN IMMEDIATE`, that finds the lock taken waits for it
 *   asynchronously, retrying with backoff, instead of in SQLite's busy handler, which sleeps on
 *   the event loop — redirects, health checks and reads answer meanwhile. After `busyMs` the
 *   SQLITE_BUSY error goes up (the API answers 503 `store_unavailable`).
 *
 * Writes share one connection, taken in turn (Kysely's single-connection mutex, kept for writes).
 */
export class SqliteReadWriteDriver implements Driver {
  private readonly mutex = new Mutex();

  constructor(private readonly options: SqliteDriverOptions) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this.options, this.mutex);
  }

  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    const routed = connection as RoutedConnection;
    await routed.holdWriter();
    // The write lock at BEGIN: a deferred transaction that has read and then wants to write gets
    // SQLITE_BUSY at once when another connection writes (no busy timeout helps an upgrade).
    await routed.writeWhenFree(CompiledQuery.raw('begin immediate'));
    routed.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutedConnection).executeQuery(CompiledQuery.raw('commit'));
    (connection as RoutedConnection).inTransaction = false;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutedConnection).executeQuery(CompiledQuery.raw('rollback'));
    (connection as RoutedConnection).inTransaction = false;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as RoutedConnection).release();
  }

  async destroy(): Promise<void> {
    this.options.reader?.close();
    this.options.writer.close();
  }

  /** True while a Kysely transaction or write holds the writer (a raw write must wait for `withWriter`). */
  get writerHeld(): boolean {
    return this.mutex.locked;
  }

  /** Runs `work` with the writer to itself, after whatever transaction holds it now. */
  async withWriter<T>(work: () => T): Promise<T> {
    await this.mutex.lock();
    try {
      return work();
    } finally {
      this.mutex.unlock();
    }
  }
}

class RoutedConnection implements DatabaseConnection {
  inTransaction = false;
  private holding = false;

  constructor(
    private readonly options: SqliteDriverOptions,
    private readonly mutex: Mutex,
  ) {}

  async holdWriter(): Promise<void> {
    if (this.holding) return;
    await this.mutex.lock();
    this.holding = true;
  }

  release(): void {
    if (!this.holding) return;
    this.holding = false;
    this.mutex.unlock();
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { reader } = this.options;
    if (reader && !this.holding && isRead(reader, query)) return run<R>(reader, query);
    await this.holdWriter();
    // Inside a transaction the lock is already ours (BEGIN IMMEDIATE): nothing to wait for.
    return this.inTransaction ? run<R>(this.options.writer, query) : this.writeWhenFree<R>(query);
  }

  /** Runs on the writer, waiting asynchronously while another connection holds the write lock. */
  async writeWhenFree<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const deadline = performance.now() + this.options.busyMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return run<R>(this.options.writer, query);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || performance.now() >= deadline)
          throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, 5 * 2 ** attempt)));
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('SQLite streams select queries only');
    const handle = this.options.reader && !this.holding ? this.options.reader : this.options.writer;
    for (const row of handle.prepare(query.sql).iterate(query.parameters as unknown[])) {
      yield { rows: [row as R] };
    }
  }
}

/**
 * A query the reader can take: a Kysely select, or raw SQL that starts as one and that SQLite says
 * writes nothing (`with … insert` does).
 */
function isRead(reader: SqliteHandle, query: CompiledQuery): boolean {
  if (SelectQueryNode.is(query.query)) return true;
  return /^\s*(select|with)\b/i.test(query.sql) && reader.prepare(query.sql).readonly;
}

function run<R>(handle: SqliteHandle, { sql, parameters }: CompiledQuery): QueryResult<R> {
  const statement = handle.prepare(sql);
  if (statement.reader) return { rows: statement.all(parameters as unknown[]) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters as unknown[]);
  return {
    numAffectedRows: BigInt(changes),
    insertId: BigInt(lastInsertRowid),
    rows: [],
  };
}

/** Kysely's single-connection mutex, with a way to ask whether it is held. */
class Mutex {
  private promise: Promise<void> | undefined;
  private resolve: (() => void) | undefined;

  get locked(): boolean {
    return this.promise !== undefined;
  }

  async lock(): Promise<void> {
    while (this.promise) await this.promise;
    this.promise = new Promise((resolve) => (this.resolve = resolve));
  }

  unlock(): void {
    const resolve = this.resolve;
    this.promise = undefined;
    this.resolve = undefined;
    resolve?.();
  }
}
