import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../../config.js';
import { batchWrites } from './batched-writes.js';
import { GroupCommitSqliteDialect } from './group-commit-driver.js';
import { namedStatementPool } from './named-statements.js';
import { pipelinedBegin } from './pipelined-begin.js';
import type { Database, Db } from './schema.js';
import { WalCheckpoints, WRITER_AUTOCHECKPOINT_PAGES } from './wal-checkpoints.js';
import { WalSync } from './wal-sync.js';

export interface DbHandle {
  readonly db: Db;
  readonly dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

/** How long a query waits for a PostgreSQL connection (new or from the pool). */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Opens the database. SQLite runs in WAL mode and a commit is on disk before Parley acks a message
 * (its fsync runs in the thread pool: group-commit-driver.ts, wal-sync.ts). `schema` (PostgreSQL only) puts every table in that schema; tests use it to
 * give each test its own database namespace.
 */
export function createDb(
  database: Config['database'],
  options: {
    schema?: string;
    applicationName?: string;
    onError?: (err: Error) => void;
    /** SQLite: a checkpoint of the WAL failed in its worker (wal-checkpoints.ts). */
    onCheckpointFailure?: (message: string) => void;
  } = {},
): DbHandle {
  if (database.kind === 'sqlite') {
    mkdirSync(dirname(database.file), { recursive: true, mode: 0o700 });
    const sqlite = new SqliteDatabase(database.file);
    chmodSync(database.file, 0o600);
    sqlite.pragma('journal_mode = WAL');
    // NORMAL: the commit itself does not fsync; Parley syncs the WAL from the thread pool before
    // anyone hears "done" (wal-sync.ts), which keeps FULL's guarantee off the event loop.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // A 32 MiB page cache (the default is 2 MiB): the hot path's rows and indexes stay in memory.
    sqlite.pragma('cache_size = -32768');
    // Deleted rows are overwritten, not left in free pages: an erased visitor's wrapped key is gone.
    sqlite.pragma('secure_delete = ON');
    // Checkpoints run in a worker thread (wal-checkpoints.ts); the writer's own comes far less often.
    sqlite.pragma(`wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT_PAGES}`);
    // Reads outside transactions see only committed data on their own connection (group-commit-driver.ts).
    const reader = new SqliteDatabase(database.file);
    reader.pragma('busy_timeout = 5000');
    reader.pragma('cache_size = -16384');
    reader.pragma('query_only = ON');
    const db = new Kysely<Database>({
      dialect: new GroupCommitSqliteDialect(
        sqlite,
        reader,
        new WalSync(`${database.file}-wal`),
        new WalCheckpoints(database.file, options.onCheckpointFailure),
      ),
    });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  const config: pg.PoolConfig & { pipeline: boolean } = {
    connectionString: database.url,
    max: 10,
    // While the server is away (stopped, unreachable, or every connection busy), a request waits
    // this long for a connection and then fails as service_unavailable, instead of hanging.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Names the node's backends in pg_stat_activity, so an operator (or a test) can find them.
    application_name: options.applicationName ?? 'parley',
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    // Each query is written as soon as it is issued (node-postgres 8.23's pipeline mode, not yet in
    // its type definitions): a transaction's BEGIN rides with its first statement
    // (pipelined-begin.ts). Kysely still runs one statement at a time on a connection.
    pipeline: true,
  };
  const pool = new pg.Pool(config);
  // A client losing its connection (a terminated backend, a restart, a failover) must not end the
  // process. The pool listens on idle clients only; a checked-out client emits 'error' with no
  // listener, which Node turns into an uncaught exception. Every client gets one for its lifetime:
  // the query in flight fails on its own and the pool replaces the broken client.
  const onError = options.onError ?? (() => {});
  pool.on('error', onError);
  pool.on('connect', (client) => {
    client.on('error', onError);
    batchWrites(client);
  });
  // Named prepared statements unless the deployment's pooler cannot keep them (PARLEY_DATABASE_PREPARED).
  const statements = database.preparedStatements === false ? pool : namedStatementPool(pool);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pipelinedBegin(statements) }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
