import { type Kysely, SqliteAdapter, sql, type Transaction } from 'kysely';
import type { Database, Db } from '../../platform/db/schema.js';

/** One transaction's writes; throwing undoes them (a savepoint in a shared batch). */
export type Write<T> = (trx: Transaction<Database>) => Promise<T>;

interface Pending {
  write: Write<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Writes gathered into one commit at most; a bigger burst waits for the next commit. */
const MAX_BATCH = 256;

/**
 * Runs a write in a transaction and resolves after its commit. On SQLite every commit is an fsync
 * (synchronous=FULL) that blocks the process for about a millisecond, so writes that arrive while
 * one commit is under way, or in the same turn of the event loop, share the next commit (group
 * commit): each runs inside its own savepoint, so one that fails is undone alone and the others
 * still commit. PostgreSQL commits concurrently over its pool, one transaction per write.
 */
export function commitWrite<T>(db: Db, write: Write<T>): Promise<T> {
  if (db.isTransaction || !(db.getExecutor().adapter instanceof SqliteAdapter))
    return db.transaction().execute(write);
  let committer = committers.get(db);
  if (!committer) {
    committer = new GroupCommitter(db);
    committers.set(db, committer);
  }
  return committer.enqueue(write);
}

const committers = new WeakMap<Db, GroupCommitter>();

class GroupCommitter {
  private pending: Pending[] = [];
  private scheduled = false;
  private running = false;

  constructor(private readonly db: Kysely<Database>) {}

  enqueue<T>(write: Write<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ write, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.running = true;
    const batch = this.pending.splice(0, MAX_BATCH);
    try {
      const outcomes = await this.db.transaction().execute(async (trx) => {
        const done: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
        for (const item of batch) done.push(await inSavepoint(trx, item.write));
        return done;
      });
      outcomes.forEach((outcome, i) => {
        const item = batch[i] as Pending;
        if (outcome.ok) item.resolve(outcome.value);
        else item.reject(outcome.error);
      });
    } catch (error) {
      // The commit itself failed: nothing of the batch is stored, and every writer hears so.
      for (const item of batch) item.reject(error);
    } finally {
      this.running = false;
      if (this.pending.length > 0) this.schedule();
    }
  }
}

async function inSavepoint(
  trx: Transaction<Database>,
  write: Write<unknown>,
): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
  await sql`savepoint parley_write`.execute(trx);
  try {
    const value = await write(trx);
    await sql`release parley_write`.execute(trx);
    return { ok: true, value };
  } catch (error) {
    await sql`rollback to parley_write`.execute(trx);
    await sql`release parley_write`.execute(trx);
    return { ok: false, error };
  }
}
