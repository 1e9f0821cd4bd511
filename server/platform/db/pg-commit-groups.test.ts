import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countedPostgres } from '../../../test/support/counted-postgres.js';
import { hasPostgres, POSTGRES_URL } from '../../../test/support/services.js';
import type { TcpProxy } from '../../../test/support/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-server.js';
import { listen } from '../metrics/signals.js';
import type { DbHandle } from './create-db.js';
import { COMMIT_LANES, laneOf, MAX_GROUP_MEMBERS } from './pg-commit-groups.js';
import { directTransaction, issueWrite, prepared } from './prepared.js';
import type { Executor } from './schema.js';

type Tables = { grouped: { n: number }; late: { n: number } };
const tables = (db: Executor) => db as unknown as Kysely<Tables>;
const insertN = prepared(1, (db, n: number) => tables(db).insertInto('grouped').values({ n }));
const insertLate = prepared(1, (db, n: number) => tables(db).insertInto('late').values({ n }));
const codeOf = (err: { code?: string }) => err.code;

/**
 * The message's transaction on PostgreSQL joins a commit group (pg-commit-groups.ts): sends that
 * arrive together share one commit, each caller hears of its own only after that commit, a member
 * that fails leaves the others' work alone, a commit that fails fails them all, and a deadlock with
 * another transaction costs the member a transaction of its own, not its send.
 */
describe.runIf(hasPostgres || process.env.CI === 'true')('commit groups (postgres)', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let handle: DbHandle;
  let other: pg.Client;
  let readers: pg.Pool;
  let groups: number[] = [];
  let stopListening = () => {};

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    ({ proxy, handle } = await countedPostgres(database));
    await sql`CREATE TABLE grouped (n integer PRIMARY KEY)`.execute(handle.db);
    // A uniqueness checked only at the commit: a way to make a group's commit itself fail.
    await sql`CREATE TABLE late (n integer, UNIQUE (n) DEFERRABLE INITIALLY DEFERRED)`.execute(handle.db);
    other = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${database.schema}` });
    await other.connect();
    readers = new pg.Pool({
      connectionString: POSTGRES_URL,
      options: `-c search_path=${database.schema}`,
      max: 2,
    });
    stopListening = listen('db.commit-group', ({ size }) => groups.push(size));
  });
  beforeEach(async () => {
    await sql`DELETE FROM grouped`.execute(handle.db);
    await sql`DELETE FROM late`.execute(handle.db);
    groups = [];
  });
  afterAll(async () => {
    stopListening();
    await other?.end();
    await readers?.end();
    await handle?.close();
    await proxy?.close();
    await database?.drop();
  });

  /** What other sessions see: committed rows only. */
  const committed = async () =>
    (await readers.query<{ n: number }>('SELECT n FROM grouped ORDER BY n')).rows.map((r) => r.n);

  it('commits sends that arrive together once, and answers each only after that commit', async () => {
    const answered: number[][] = [];
    const sends = Array.from({ length: 10 }, (_, i) =>
      directTransaction(handle.db, async (trx) => {
        await insertN(trx, i + 1);
        await issueWrite(trx, insertN, i + 101);
      }).then(async () => answered.push(await committed())),
    );
    await Promise.all(sends);
    const all = [
      ...Array.from({ length: 10 }, (_, i) => i + 1),
      ...Array.from({ length: 10 }, (_, i) => i + 101),
    ];
    expect(await committed()).toEqual(all);
    // Every caller, when answered, found its rows (and its group's) committed for everyone.
    for (const seen of answered) expect(seen).toEqual(all);
    // One commit: the nine that queued behind the first joined its group.
    expect(groups).toEqual([10]);
  });

  it('keeps a conversation’s sends in one lane, in order, and commits other lanes’ beside it', async () => {
    const ids = Array.from(
      { length: 64 },
      (_, i) => `0190c0de-0000-7000-8000-${String(i).padStart(12, '0')}`,
    );
    const lanes = new Set(ids.map(laneOf));
    // The lane is a function of the key alone, and keys spread over every lane.
    expect(ids.map(laneOf)).toEqual(ids.map(laneOf));
    expect(lanes.size).toBe(COMMIT_LANES);
    const [a, b] = [ids[0] as string, ids.find((id) => laneOf(id) !== laneOf(ids[0] as string)) as string];
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        directTransaction(
          handle.db,
          async (trx) => {
            if (i % 2 === 0) order.push(i);
            await insertN(trx, i + 1);
          },
          i % 2 === 0 ? a : b,
        ),
      ),
    );
    // One conversation's six sends ran in the order they were made; the two lanes were two groups.
    expect(order).toEqual([0, 2, 4, 6, 8, 10]);
    expect(groups.sort()).toEqual([6, 6]);
    expect((await committed()).length).toBe(12);
  });

  it('costs a send alone two round trips, as a transaction of its own did', async () => {
    await committed();
    const before = proxy.turns();
    await directTransaction(handle.db, async (trx) => {
      await insertN(trx, 1);
      await issueWrite(trx, insertN, 2);
    });
    expect(proxy.turns() - before).toBe(2);
    expect(groups).toEqual([1]);
  });

  it('rolls back a member that fails, with its own error, and commits the others', async () => {
    await insertN(handle.db, 7);
    const outcomes = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        directTransaction(handle.db, async (trx) => {
          await insertN(trx, i * 10);
          // The second member's issued write breaks the primary key; the third throws by itself.
          if (i === 2) await issueWrite(trx, insertN, 7);
          if (i === 3) throw new Error('refused');
          await insertN(trx, i * 10 + 1);
        }).then(
          () => 'stored',
          (err: Error & { code?: string }) => err.code ?? err.message,
        ),
      ),
    );
    expect(outcomes).toEqual(['stored', '23505', 'refused', 'stored']);
    expect(await committed()).toEqual([7, 10, 11, 40, 41]);
  });

  it('rolls the whole group back when a write a member did not wait for fails behind it', async () => {
    await insertN(handle.db, 7);
    const outcomes = await Promise.all(
      [1, 2, 3].map((i) =>
        directTransaction(handle.db, async (trx) => {
          await insertN(trx, i * 10);
          // The second member returns before its write's answer; the third finds the transaction aborted.
          if (i === 2) await issueWrite(trx, insertN, 7);
        }).then(() => 'stored', codeOf),
      ),
    );
    expect(outcomes).toEqual(['23505', '23505', '23505']);
    expect(await committed()).toEqual([7]);
    await directTransaction(handle.db, (trx) => insertN(trx, 9));
    expect(await committed()).toEqual([7, 9]);
  });

  it('answers a refused member that read an earlier member’s write only once that write is committed', async () => {
    const original = directTransaction(handle.db, (trx) => insertN(trx, 1));
    // A resend in the same group finds the original (uncommitted) and is refused as its duplicate:
    // what it read must not leave before the original's commit.
    const refused = directTransaction(handle.db, async (trx) => {
      const { rows } = await sql<{ n: number }>`SELECT n FROM grouped WHERE n = 1`.execute(trx);
      throw Object.assign(new Error('duplicate'), { row: rows[0] });
    }).catch(async (e: { row?: { n: number } }) => ({
      saw: e.row?.n,
      committedWhenAnswered: await committed(),
    }));
    await original;
    expect(await refused).toEqual({ saw: 1, committedWhenAnswered: [1] });
    expect(groups).toEqual([2]);
  });

  it('fails every member when the group’s commit fails, and leaves nothing of any', async () => {
    const outcomes = await Promise.all(
      [1, 2, 3].map((i) =>
        directTransaction(handle.db, async (trx) => {
          await insertN(trx, i);
          // Two members insert the same value where uniqueness is checked at the commit.
          await insertLate(trx, i === 3 ? 1 : i);
        }).then(() => 'stored', codeOf),
      ),
    );
    // The first did nothing wrong, but its work was in the commit that failed.
    expect(outcomes).toEqual(['23505', '23505', '23505']);
    expect(await committed()).toEqual([]);
    // The next send is a group of its own again.
    await directTransaction(handle.db, (trx) => insertN(trx, 9));
    expect(await committed()).toEqual([9]);
  });

  it('holds at most MAX_GROUP_MEMBERS sends in one commit', async () => {
    const count = MAX_GROUP_MEMBERS * 2 + 5;
    await Promise.all(
      Array.from({ length: count }, (_, i) => directTransaction(handle.db, (trx) => insertN(trx, i + 1))),
    );
    expect((await committed()).length).toBe(count);
    expect(Math.max(...groups)).toBe(MAX_GROUP_MEMBERS);
    expect(groups.reduce((a, b) => a + b, 0)).toBe(count);
  });

  it('runs a member again on its own when PostgreSQL breaks a deadlock with another transaction', async () => {
    await insertN(handle.db, 1);
    await insertN(handle.db, 2);
    // Another session holds row 2.
    await other.query('BEGIN');
    await other.query('UPDATE grouped SET n = n WHERE n = 2');
    let firstDone = false;
    // The first member takes row 1; the second, in the same group, waits for row 2.
    const first = directTransaction(handle.db, (trx) =>
      sql`UPDATE grouped SET n = n WHERE n = 1`.execute(trx),
    );
    void first.then(() => {
      firstDone = true;
    });
    const second = directTransaction(handle.db, async (trx) => {
      await sql`UPDATE grouped SET n = n WHERE n = 2`.execute(trx);
      await insertN(trx, 3);
    });
    await expect.poll(async () => (await waitingForLocks()).length).toBe(1);
    // Nothing of the group is answered or visible while it has not committed.
    expect(firstDone).toBe(false);
    // The other session now wants row 1, held by the group: a deadlock, which PostgreSQL breaks.
    const otherOutcome = other.query('UPDATE grouped SET n = n WHERE n = 1').then(
      () => 'updated',
      (err: { code?: string }) => err.code,
    );
    const broken = await Promise.race([otherOutcome, second.then(() => 'second first')]);
    if (broken === '40P01') {
      // PostgreSQL failed the other session: the group goes on.
      await other.query('ROLLBACK');
    } else {
      // PostgreSQL failed the member: its group committed without it, it waits for row 2 on its own.
      expect(await otherOutcome).toBe('updated');
      await other.query('COMMIT');
    }
    await Promise.all([first, second]);
    expect(await committed()).toEqual([1, 2, 3]);
  });

  async function waitingForLocks() {
    const { rows } = await other.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
      [`parley ${database.schema}`],
    );
    return rows;
  }
});
