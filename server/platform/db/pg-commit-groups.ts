import { CompiledQuery, type DatabaseConnection } from 'kysely';
import { emit } from '../metrics/signals.js';
import { Mutex } from './mutex.js';
import type { Db, Executor } from './schema.js';
import { isWriteConflict } from './write-conflict.js';

/**
 * Members one group holds at most. Each is a subtransaction (a savepoint), and PostgreSQL keeps a
 * transaction's first 64 in shared memory; past them every other session's snapshot has to look
 * them up on disk (pg_subtrans).
 */
export const MAX_GROUP_MEMBERS = 32;

/**
 * One transaction's work: it runs on `trx`, whose connection is `connection`, and puts the writes it
 * issues without waiting for them in `writes` (prepared.ts `issueWrite`).
 */
export type Member<T> = (
  trx: Executor,
  connection: DatabaseConnection,
  writes: Array<Promise<unknown>>,
) => Promise<T>;

interface Group {
  trx: Executor;
  connection: DatabaseConnection;
  members: number;
  /** What every member sent without waiting (savepoints, issued writes, releases). */
  sent: Array<Promise<unknown>>;
  /** No member joins any more; the transaction commits (or, broken, rolls back). */
  sealed: boolean;
  /** The group cannot commit (a member's work could not be undone): it rolls back with this. */
  broken: unknown;
  /** Settles with the transaction: resolved once it has committed, with every member's work. */
  committed: Promise<void>;
  seal(): void;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Group commit on PostgreSQL, for the message's transaction (prepared.ts `directTransaction`). A
 * commit waits for PostgreSQL's WAL to be flushed; one per send made the pool's connections and the
 * WAL writer the limit of a node at a few hundred sends a second. Here sends that arrive while one
 * runs share its transaction, the *group*, on one connection: each runs as a savepoint, in arrival
 * order, and the group commits once the last of them is done (or MAX_GROUP_MEMBERS have joined).
 * Each caller's promise settles only after that commit, so nothing of its send leaves the process
 * before it is durable, and a commit that fails fails every member.
 *
 * A member waits only for the statements whose results it reads: its savepoint goes out with its
 * first statement, and its release with the next member's (or the commit). A member that fails
 * (a refusal, a statement's error) is rolled back to its savepoint alone and the others go on; it is
 * answered after the commit all the same, since what it read may be an earlier member's write. A
 * write it issued without waiting fails only behind it, where no member can be told apart from
 * another any more: then the whole group rolls back and every member hears that write's error
 * (they resend; client ids make that safe). A send alone costs what a transaction of its own did:
 * two round trips.
 *
 * The group holds the row locks of all its members until it commits. A member that meets another
 * group's lock (another node's) waits as any transaction would; if the two groups each wait for
 * the other, PostgreSQL breaks the deadlock by failing one statement, and that member is rolled
 * back and run again in a transaction of its own, which holds nothing else.
 */
export class PgCommitGroups {
  private readonly turn = new Mutex();
  private group: Group | null = null;

  constructor(private readonly db: Db) {}

  async run<T>(member: Member<T>): Promise<T> {
    await this.turn.lock();
    let group: Group;
    let outcome: Outcome<T>;
    try {
      group = this.group ?? (await this.open());
      group.members += 1;
      outcome = await this.runMember(group, member);
      if (!outcome.ok && (this.turn.waiting === 0 || group.members >= MAX_GROUP_MEMBERS)) this.close(group);
    } finally {
      this.turn.unlock();
    }
    if (!outcome.ok) {
      if (isWriteConflict(outcome.error) && group.broken === undefined)
        return soloTransaction(this.db, member);
      // What a refused member read may be an earlier member's write (a resend finds its original):
      // it is answered once that write is committed, or with the error the group failed with.
      await group.committed;
      throw outcome.error;
    }
    await group.committed;
    return outcome.value;
  }

  private async runMember<T>(group: Group, member: Member<T>): Promise<Outcome<T>> {
    const savepoint = `parley_send_${group.members}`;
    const writes: Array<Promise<unknown>> = [];
    issue(group.connection, `savepoint ${savepoint}`, writes);
    try {
      const value = await member(group.trx, group.connection, writes);
      issue(group.connection, `release savepoint ${savepoint}`, writes);
      group.sent.push(...writes);
      // The last of those waiting (or the group is full): it commits now, while the next group
      // forms. Decided before anything else can run, so nobody joins a sealed group.
      if (this.turn.waiting === 0 || group.members >= MAX_GROUP_MEMBERS) this.close(group);
      return { ok: true, value };
    } catch (error) {
      const own = await firstFailure(writes);
      const before = await firstFailure(group.sent);
      if (before !== undefined) {
        // An earlier member's write failed behind its back: the transaction cannot be taken back
        // to before it by this member. The group rolls back with that write's error.
        group.broken = before;
        this.close(group);
        return { ok: false, error: before };
      }
      // Behind a failed write, PostgreSQL refuses every statement after it: the write's own error
      // says what went wrong.
      const cause = own !== undefined && isAbortedTransaction(error) ? own : error;
      try {
        await group.connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${savepoint}`));
      } catch (lost) {
        group.broken = lost;
        this.close(group);
      }
      return { ok: false, error: cause };
    }
  }

  /** Opens the next group's transaction; it commits when the group is sealed. */
  private open(): Promise<Group> {
    return new Promise<Group>((ready, failed) => {
      let seal!: () => void;
      const sealed = new Promise<void>((resolve) => {
        seal = resolve;
      });
      const group = { members: 0, sent: [], sealed: false, broken: undefined } as unknown as Group;
      group.seal = () => {
        group.sealed = true;
        seal();
      };
      group.committed = this.db
        .transaction()
        .execute(async (trx) => {
          group.trx = trx;
          group.connection = await trx.getExecutor().provideConnection(async (c) => c);
          this.group = group;
          ready(group);
          await sealed;
          if (group.broken !== undefined) throw group.broken;
        })
        .then(async () => {
          // PostgreSQL answers the commit of a transaction a failed statement aborted with a
          // rollback, which is no error: a statement sent without waiting that failed says so.
          const failed = await firstFailure(group.sent);
          if (failed !== undefined) throw failed;
          emit('db.commit-group', { size: group.members });
        });
      // Before `ready` this is why the group never opened; after it, each member hears it.
      group.committed.catch(failed);
    });
  }

  private close(group: Group): void {
    if (this.group === group) this.group = null;
    if (!group.sealed) group.seal();
  }
}

/**
 * Groups form in this many lanes side by side (each group on a connection of its own until its
 * commit is answered): one lane's members wait for each other's round trips, so a single lane caps
 * a node at about one send per round trip. A conversation always takes the same lane, so its sends
 * keep their order and their row locks meet only inside that lane's group.
 */
export const COMMIT_LANES = 4;

/** PostgreSQL's group commit for `db` in the lane of `key` (a conversation id), made on first use. */
export function commitGroupsOf(db: Db, key: string): PgCommitGroups {
  let lanes = lanesOf.get(db);
  if (!lanes) {
    lanes = Array.from({ length: COMMIT_LANES }, () => new PgCommitGroups(db));
    lanesOf.set(db, lanes);
  }
  return lanes[laneOf(key)] as PgCommitGroups;
}

/** A cheap, stable spread of keys over the lanes (FNV-1a over the key's characters). */
export function laneOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % COMMIT_LANES;
}

const lanesOf = new WeakMap<Db, PgCommitGroups[]>();

/**
 * A transaction of the member's own. Its issued writes are settled after the commit, before it
 * returns, and the first of them that failed is what it throws.
 */
export async function soloTransaction<T>(db: Db, member: Member<T>): Promise<T> {
  const writes: Array<Promise<unknown>> = [];
  let result: T;
  try {
    result = await db.transaction().execute(async (trx) => {
      const connection = await trx.getExecutor().provideConnection(async (c) => c);
      return member(trx, connection, writes);
    });
  } catch (error) {
    const failed = await firstFailure(writes);
    throw failed !== undefined && isAbortedTransaction(error) ? failed : error;
  }
  // A write that failed made PostgreSQL answer the commit with a rollback, which is no error.
  const failed = await firstFailure(writes);
  if (failed !== undefined) throw failed;
  return result;
}

/** Sends a statement whose result nobody waits for; its outcome joins the member's writes. */
function issue(connection: DatabaseConnection, statement: string, writes: Array<Promise<unknown>>): void {
  const sent = connection.executeQuery(CompiledQuery.raw(statement));
  sent.catch(() => undefined);
  writes.push(sent);
}

async function firstFailure(writes: Array<Promise<unknown>>): Promise<unknown> {
  for (const settled of await Promise.allSettled(writes))
    if (settled.status === 'rejected') return settled.reason;
  return undefined;
}

/** PostgreSQL's "current transaction is aborted, commands ignored until end of transaction block". */
function isAbortedTransaction(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '25P02';
}
