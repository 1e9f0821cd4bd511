import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countedPostgres } from '../../../test/support/counted-postgres.js';
import { DIALECTS } from '../../../test/support/services.js';
import type { TcpProxy } from '../../../test/support/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-server.js';
import type { DbHandle } from './create-db.js';
import { directTransaction, issueWrite, prepared } from './prepared.js';

/** A test table outside the schema's types: n, unique. */
const insertN = prepared(1, (db, n: number) =>
  (db as unknown as Kysely<{ pipelined: { n: number } }>).insertInto('pipelined').values({ n }),
);
const codeOf = (err: { code?: string }) => err.code;

/**
 * On PostgreSQL a transaction's BEGIN goes out with its first statement (pipelined-begin.ts), and a
 * write issued with `issueWrite` in the message's transaction (`directTransaction`) goes out with
 * what follows and the commit: the node waits for fewer round trips, counted at a relay between it
 * and the server. On both dialects a transaction is still one: a failure, a failed issued write
 * included, rolls back what it wrote, with the failed statement's own error, and the connection
 * serves the next.
 */
describe.each(DIALECTS)('pipelined statements (%s)', (dialect) => {
  let database: TestDatabase;
  let proxy: TcpProxy | undefined;
  let handle: DbHandle;
  const uniqueViolation = dialect === 'postgres' ? '23505' : 'SQLITE_CONSTRAINT_PRIMARYKEY';
  const turns = () => proxy?.turns() ?? 0;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    if (dialect === 'postgres') ({ proxy, handle } = await countedPostgres(database));
    else handle = database.open();
    await handle.db.schema
      .createTable('pipelined')
      .addColumn('n', 'integer', (c) => c.primaryKey())
      .execute();
  });
  beforeEach(async () => {
    await sql`DELETE FROM pipelined`.execute(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
    await proxy?.close();
    await database?.drop();
  });

  const rows = async () =>
    (await sql<{ n: number }>`SELECT n FROM pipelined ORDER BY n`.execute(handle.db)).rows.map((r) => r.n);

  it.runIf(dialect === 'postgres')(
    'waits for two round trips for a transaction of one statement: begin with it, then commit',
    async () => {
      await rows();
      const before = turns();
      await handle.db.transaction().execute((trx) => sql`INSERT INTO pipelined (n) VALUES (1)`.execute(trx));
      expect(turns() - before).toBe(2);
      const three = turns();
      await handle.db.transaction().execute(async (trx) => {
        await sql`INSERT INTO pipelined (n) VALUES (2)`.execute(trx);
        await sql`INSERT INTO pipelined (n) VALUES (3)`.execute(trx);
      });
      expect(turns() - three).toBe(3);
      expect(await rows()).toEqual([1, 2, 3]);
    },
  );

  it('is still one transaction: a failure rolls back what it wrote, and the connection serves the next', async () => {
    await handle.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO pipelined (n) VALUES (1)`.execute(trx);
      await sql`INSERT INTO pipelined (n) VALUES (2)`.execute(trx);
      await sql`INSERT INTO pipelined (n) VALUES (3)`.execute(trx);
    });
    const failed = await handle.db
      .transaction()
      .execute(async (trx) => {
        await sql`INSERT INTO pipelined (n) VALUES (10)`.execute(trx);
        await sql`INSERT INTO pipelined (n) VALUES (1)`.execute(trx);
      })
      .catch(codeOf);
    expect(failed).toBe(uniqueViolation);
    const refused = await handle.db
      .transaction()
      .execute(async (trx) => {
        await sql`INSERT INTO pipelined (n) VALUES (11)`.execute(trx);
        throw new Error('changed my mind');
      })
      .catch((err: Error) => err.message);
    expect(refused).toBe('changed my mind');
    // Every connection of the pool, each after a failed transaction of its own.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        handle.db
          .transaction()
          .execute(async (trx) => {
            await sql`INSERT INTO pipelined (n) VALUES (${100 + i})`.execute(trx);
            await sql`INSERT INTO pipelined (n) VALUES (1)`.execute(trx);
          })
          .catch(() => undefined),
      ),
    );
    await handle.db.transaction().execute((trx) => sql`INSERT INTO pipelined (n) VALUES (4)`.execute(trx));
    expect(await rows()).toEqual([1, 2, 3, 4]);
    if (dialect !== 'postgres') return;
    // No connection was left inside a transaction.
    const status = await sql<{ state: string }>`SELECT state FROM pg_stat_activity
      WHERE application_name = ${`parley ${database.schema}`} AND pid <> pg_backend_pid()`.execute(handle.db);
    expect(status.rows.filter((r) => r.state !== 'idle')).toEqual([]);
  });

  it('commits them with the transaction, their results settled when it returns', async () => {
    const before = turns();
    const { done } = await directTransaction(handle.db, async (trx) => {
      await insertN(trx, 1);
      const issued = await issueWrite(trx, insertN, 2);
      await issueWrite(trx, insertN, 3);
      return issued;
    });
    // begin with the first statement; the two writes with the commit.
    if (dialect === 'postgres') expect(turns() - before).toBe(2);
    expect(Number((await done).numAffectedRows)).toBe(1);
    expect(await rows()).toEqual([1, 2, 3]);
  });

  it('fails the transaction with the failed write’s own error, and leaves nothing of it', async () => {
    await insertN(handle.db, 1);
    await insertN(handle.db, 2);
    const failed = await directTransaction(handle.db, async (trx) => {
      await insertN(trx, 10);
      await issueWrite(trx, insertN, 1);
      await issueWrite(trx, insertN, 11);
      // A statement that waits behind the failed write, as a later subscriber's would.
      await insertN(trx, 12);
    }).catch(codeOf);
    expect(failed).toBe(uniqueViolation);
    const alone = await directTransaction(handle.db, async (trx) => {
      await insertN(trx, 20);
      await issueWrite(trx, insertN, 2);
    }).catch(codeOf);
    expect(alone).toBe(uniqueViolation);
    expect(await rows()).toEqual([1, 2]);
  });
});
