import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasPostgres, POSTGRES_URL } from '../../../test/support/services.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-server.js';
import { createDb } from './create-db.js';
import { namedStatementPool } from './named-statements.js';

interface Items {
  items: { id: number; name: string };
}

/**
 * PostgreSQL statements as named prepared statements (named-statements.ts): parsed once per
 * connection, never for batch-sized texts, and a statement a migration invalidated fails once, not
 * for the life of its connection.
 */
describe.runIf(hasPostgres || process.env.CI === 'true')('named statements on PostgreSQL', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: Kysely<Items>;
  /** A plain connection of the test's schema: the admin, or another node running a migration. */
  const plain = () =>
    new Kysely<Items>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({
          connectionString: POSTGRES_URL,
          max: 1,
          options: `-c search_path=${database.schema}`,
        }),
      }),
    });

  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    const admin = plain();
    await admin.schema
      .createTable('items')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .execute();
    await admin
      .insertInto('items')
      .values(Array.from({ length: 40 }, (_, i) => ({ id: i + 1, name: `item ${i + 1}` })))
      .execute();
    await admin.destroy();
    // One connection: what a statement leaves behind on it is seen by the next.
    pool = new pg.Pool({
      connectionString: POSTGRES_URL,
      max: 1,
      options: `-c search_path=${database.schema}`,
    });
    db = new Kysely<Items>({ dialect: new PostgresDialect({ pool: namedStatementPool(pool) }) });
  });
  afterEach(async () => {
    await db.destroy();
    await database.drop();
  });

  const prepared = async () =>
    (
      await sql<{
        name: string;
        statement: string;
      }>`SELECT name, statement FROM pg_prepared_statements`.execute(db)
    ).rows;

  it('prepares a statement with parameters once per connection, under a name of its text', async () => {
    for (const id of [1, 2, 3]) {
      const row = await db.selectFrom('items').select('name').where('id', '=', id).executeTakeFirst();
      expect(row?.name).toBe(`item ${id}`);
    }
    const byId = (await prepared()).filter((p) => p.statement.includes('where "id" = $1'));
    expect(byId).toHaveLength(1);
    expect(byId[0]?.name).toMatch(/^parley_[0-9a-f]{32}$/);
  });

  it('runs a statement of many parameters unnamed, leaving nothing prepared for its length', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => i + 1);
    const rows = await db.selectFrom('items').select('id').where('id', 'in', ids).execute();
    expect(rows).toHaveLength(40);
    expect((await prepared()).filter((p) => p.statement.includes('in ('))).toEqual([]);
  });

  it('prepares nothing when the deployment turns it off (PARLEY_DATABASE_PREPARED=off)', async () => {
    for (const preparedStatements of [true, false]) {
      const handle = createDb(
        { kind: 'postgres', url: POSTGRES_URL, preparedStatements },
        { schema: database.schema as string },
      );
      try {
        const other = handle.db as unknown as Kysely<Items>;
        await other.connection().execute(async (c) => {
          await c.selectFrom('items').select('name').where('id', '=', 7).execute();
          const { rows } = await sql<{ name: string }>`SELECT name FROM pg_prepared_statements`.execute(c);
          expect(rows.length > 0).toBe(preparedStatements);
        });
      } finally {
        await handle.close();
      }
    }
  });

  it('fails a statement a table change invalidated once, then prepares it again', async () => {
    const read = () => db.selectFrom('items').selectAll().where('id', '=', 1).execute();
    expect(await read()).toEqual([{ id: 1, name: 'item 1' }]);
    // Another node's migration changes the table under the prepared statement.
    const other = plain();
    await other.schema.alterTable('items').addColumn('colour', 'text').execute();
    await other.destroy();
    await expect(read()).rejects.toMatchObject({ code: '0A000' });
    // The only connection was closed, not reused: the next one prepares the statement afresh.
    expect(await read()).toEqual([{ id: 1, name: 'item 1', colour: null }]);
  });
});
