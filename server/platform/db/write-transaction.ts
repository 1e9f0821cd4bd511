import { SqliteAdapter, sql } from 'kysely';
import type { Db, Executor } from './schema.js';

/**
 * Runs `work` in one transaction that is going to write.
 *
 * On PostgreSQL that is an ordinary transaction. On SQLite it is `BEGIN IMMEDIATE`: the write lock
 * is taken up front, so the transaction never has to upgrade a read snapshot to a write lock (which
 * SQLite refuses with SQLITE_BUSY instead of waiting). better-sqlite3 waits for a busy lock by
 * blocking the thread, and a lock held by another connection in this same process (two nodes on one
 * file, as the tests run them) could then never be released: so the lock is asked for without the
 * busy timeout, and asked again after a short asynchronous pause, up to the same timeout in total.
 */
export async function writeTransaction<T>(db: Db, work: (trx: Executor) => Promise<T>): Promise<T> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return db.transaction().execute(work);
  return db.connection().execute(async (conn) => {
    const current = await sql<{ timeout: number }>`pragma busy_timeout`.execute(conn);
    const timeoutMs = Number(current.rows[0]?.timeout ?? 5000);
    await sql`pragma busy_timeout = 0`.execute(conn);
    try {
      const deadline = Date.now() + timeoutMs;
      for (let attempt = 0; ; attempt += 1) {
        try {
          await sql`begin immediate`.execute(conn);
          break;
        } catch (err) {
          if (!isBusy(err) || Date.now() >= deadline) throw err;
          const pause = Math.min(50, 2 ** attempt) * (0.5 + Math.random());
          await new Promise((resolve) => setTimeout(resolve, pause));
        }
      }
    } finally {
      await sql.raw(`pragma busy_timeout = ${Math.trunc(timeoutMs)}`).execute(conn);
    }
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
  });
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}
