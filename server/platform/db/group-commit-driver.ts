import type { Database as SqliteHandle, Statement } from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SelectQueryNode,
  SqliteDialect,
} from 'kysely';
import { emit } from '../metrics/signals.js';
import { Mutex } from './mutex.js';
import { withStatementCache } from './statement-cache.js';
import type { WalCheckpoints } from './wal-checkpoints.js';
import type { WalSync } from './wal-sync.js';

/**
 * SQLite with group commit. A durable commit needs an fsync of about a millisecond, so one commit
 * per write would cap Parley at a few hundred writes a second. Here writes join a shared
 * transaction, the *group*, that commits once per turn of the event loop; the commit's fsync runs in
 * the thread pool (wal-sync.ts), not on the event loop, and each caller's promise resolves only
 * after it, so "done" still means durable (an ack is still sent after it). An explicit transaction
 * runs as a savepoint inside the group: its rollback undoes only its own writes. A group that fails
 * to commit (or that SQLite itself rolls back, e.g. on a full disk), or whose sync fails, fails every
 * write it held.
 *
 * Reads outside a transaction go to a second, read-only connection (`reader`), which sees only
 * committed data: a read never hands out a row whose group then fails to commit, and it does not
 * wait behind a transaction that holds the writer. It may see a commit whose sync is still running
 * (about a millisecond): a process crash cannot take that back (the data is in the OS), only a power
 * cut in that millisecond could, and then its author, who was never answered, sends it again. Reads
 * inside a transaction stay on the writer, where they see their own writes (and the group's, which
 * commit or fail with theirs).
 */
export class GroupCommitSqliteDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: SqliteHandle,
    private readonly reader: SqliteHandle,
    private readonly sync: WalSync,
    private readonly checkpoints: WalCheckpoints,
  ) {
    super({ database: sqlite });
  }

  override createDriver(): Driver {
    return new GroupCommitDriver(this.sqlite, this.reader, this.sync, this.checkpoints);
  }
}

interface Group {
  /** Writers (connections) whose work this group holds, for the metrics. */
  size: number;
  done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/** Statements SQLite refuses (or ignores) inside a transaction: the group commits before them. */
const OUTSIDE_TRANSACTION = /^\s*(pragma|vacuum)\b/i;
const TX = 'parley_tx';
/** How long a write waits for another writer's lock (as busy_timeout does for the rest). */
const BUSY_WAIT_MS = 5000;

class GroupCommitDriver implements Driver {
  readonly mutex = new Mutex();
  private readonly prepare: (sql: string) => Statement;
  private readonly prepareRead: (sql: string) => Statement;
  private group: Group | null = null;
  private scheduled = false;
  /** The writer's busy_timeout as this driver last set it (null: as createDb opened it). */
  private busyMs: number | null = null;

  constructor(
    private readonly sqlite: SqliteHandle,
    private readonly reader: SqliteHandle,
    private readonly sync: WalSync,
    private readonly checkpoints: WalCheckpoints,
  ) {
    const cache = withStatementCache(sqlite);
    this.prepare = (sql) => cache.prepare(sql);
    const readCache = withStatementCache(reader);
    this.prepareRead = (sql) => readCache.prepare(sql);
  }

  async init(): Promise<void> {}

  /** The writer is taken only when the connection first needs it (a write or a transaction). */
  async acquireConnection(): Promise<DatabaseConnection> {
    return new GroupConnection(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as GroupConnection).hold();
    await this.openGroup();
    const c = connection as GroupConnection;
    if (this.group && c.joined !== this.group) this.group.size += 1;
    c.joined = this.group;
    c.explicit = true;
    this.run(`savepoint ${TX}`);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as GroupConnection).explicit = false;
    this.run(`release ${TX}`);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as GroupConnection;
    c.explicit = false;
    // Still answered after the group's commit: what it read may be another writer's uncommitted
    // write (a resend refused as the duplicate of a message in the same group).
    if (!this.sqlite.inTransaction) return this.groupLost(new Error('the transaction was rolled back'));
    this.run(`rollback to ${TX}`);
    this.run(`release ${TX}`);
  }

  async savepoint(connection: DatabaseConnection, name: string) {
    await this.savepointCommand(connection, 'savepoint', name);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string) {
    await this.savepointCommand(connection, 'rollback to', name);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string) {
    await this.savepointCommand(connection, 'release', name);
  }

  /** Frees the connection, then waits until what this caller wrote is committed. */
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as GroupConnection;
    const joined = c.joined;
    c.letGo();
    if (joined) await joined.done;
  }

  async destroy(): Promise<void> {
    await this.mutex.lock();
    try {
      this.commitGroup();
    } finally {
      this.mutex.unlock();
      await this.sync.close();
      await this.checkpoints.close();
      this.reader.close();
      this.sqlite.close();
    }
  }

  /**
   * Runs a statement for a connection. A read of a connection that has written nothing and is in
   * no transaction reads committed data on the reader; anything else takes the writer, and a write
   * joins the group, which then commits soon.
   */
  async execute(connection: GroupConnection, query: CompiledQuery): Promise<QueryResult<unknown>> {
    if (committedRead(connection, query)) {
      return { rows: this.prepareRead(query.sql).all(query.parameters as unknown[]) };
    }
    await connection.hold();
    const outside = !connection.explicit && OUTSIDE_TRANSACTION.test(query.sql);
    // Outside a group a statement may meet another writer's lock (a pragma, a vacuum): it waits.
    // Set before preparing: SQLite runs a pragma as it prepares it.
    if (outside) {
      this.commitGroup();
      this.busyTimeout(BUSY_WAIT_MS);
    }
    const statement = this.prepare(query.sql);
    if (!outside && !statement.readonly && !this.sqlite.inTransaction) await this.openGroup();
    if (!this.sqlite.inTransaction) this.busyTimeout(BUSY_WAIT_MS);
    const group = this.group;
    try {
      if (statement.reader) return { rows: statement.all(query.parameters as unknown[]) };
      const { changes, lastInsertRowid } = statement.run(query.parameters as unknown[]);
      return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    } catch (error) {
      // Most errors undo only the statement; a few make SQLite roll the whole transaction back.
      if (group && !this.sqlite.inTransaction) this.groupLost(error);
      throw error;
    } finally {
      if (!statement.readonly && group && connection.joined !== group) {
        connection.joined = group;
        group.size += 1;
      }
    }
  }

  stream(connection: GroupConnection, query: CompiledQuery): IterableIterator<unknown> {
    if (!SelectQueryNode.is(query.query)) throw new Error('only select queries can be streamed');
    const prepare = committedRead(connection, query) ? this.prepareRead : this.prepare;
    return prepare(query.sql).iterate(query.parameters as unknown[]);
  }

  private savepointCommand(connection: DatabaseConnection, command: string, name: string) {
    const escaped = name.replace(/"/g, '""');
    return connection.executeQuery(CompiledQuery.raw(`${command} "${escaped}"`));
  }

  private run(sql: string): void {
    this.prepare(sql).run();
  }

  private async openGroup(): Promise<void> {
    if (this.group) return;
    await this.beginImmediate();
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Nobody may be waiting yet; a failure still reaches every writer that joined.
    done.catch(() => {});
    this.group = { size: 0, done, resolve, reject };
    this.schedule();
  }

  /**
   * Takes the write lock. Another process (or another node in this process) may hold it until its
   * own group commits: waiting for it here, asynchronously, lets that commit happen even when it
   * is this very process, where SQLite's own busy wait would block until it gave up.
   */
  private async beginImmediate(): Promise<void> {
    const deadline = performance.now() + BUSY_WAIT_MS;
    for (let pause = 1; ; pause = Math.min(pause * 2, 20)) {
      // No wait: a busy lock is answered at once, and this loop waits without blocking. The setting
      // stays while groups follow each other (inside one, the lock is ours and nothing waits), and
      // goes back before a statement runs outside a group (execute).
      this.busyTimeout(0);
      try {
        // IMMEDIATE takes the write lock now: no other process can slip a write in between.
        this.run('begin immediate');
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY' || performance.now() > deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  /**
   * Sets the writer's busy wait only when it changes: two pragmas around every group were a fifth
   * of the statements of a message sent alone.
   */
  private busyTimeout(ms: number): void {
    if (this.busyMs === ms) return;
    // Compiled afresh: SQLite applies this pragma while preparing it, so running a cached statement
    // again may set nothing.
    this.sqlite.pragma(`busy_timeout = ${ms}`);
    this.busyMs = ms;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.commitWhenFree());
  }

  /** Commits once no explicit transaction is under way (it holds the connection until it ends). */
  private async commitWhenFree(): Promise<void> {
    this.scheduled = false;
    await this.mutex.lock();
    try {
      this.commitGroup();
    } finally {
      this.mutex.unlock();
    }
  }

  private commitGroup(): void {
    const group = this.group;
    if (!group) return;
    this.group = null;
    try {
      this.run('commit');
      this.sync.committed().then(group.resolve, group.reject);
      emit('db.commit-group', { size: group.size });
    } catch (error) {
      if (this.sqlite.inTransaction) this.run('rollback');
      group.reject(error);
    }
  }

  private groupLost(error: unknown): void {
    const group = this.group;
    this.group = null;
    group?.reject(error);
  }
}

/** A plain select outside any transaction, by a connection that has not written. */
function committedRead(connection: GroupConnection, query: CompiledQuery): boolean {
  return !connection.holding && query.query !== undefined && SelectQueryNode.is(query.query);
}

class GroupConnection implements DatabaseConnection {
  /** The group this connection wrote into: releasing it waits for that group's commit. */
  joined: Group | null = null;
  /** Inside an explicit transaction (a savepoint of the group). */
  explicit = false;
  /** Holds the writer: from its first write or transaction until it is released. */
  holding = false;

  constructor(private readonly driver: GroupCommitDriver) {}

  async hold(): Promise<void> {
    if (this.holding) return;
    this.holding = true;
    await this.driver.mutex.lock();
  }

  letGo(): void {
    if (!this.holding) return;
    this.holding = false;
    this.driver.mutex.unlock();
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return (await this.driver.execute(this, query)) as QueryResult<R>;
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    for (const row of this.driver.stream(this, query)) yield { rows: [row as R] };
  }
}
