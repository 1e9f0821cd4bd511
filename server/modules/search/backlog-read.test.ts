import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../test/support/services.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-server.js';
import type { DbHandle } from '../../platform/db/create-db.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { backlogMessagesQuery, selectBacklogMessages } from './search-index.repository.js';

type PlanNode = {
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
};

/** Rows a plan read from one table, over all its scans and loops. */
function rowsRead(node: PlanNode, table: string): number {
  const own = node['Relation Name'] === table ? node['Actual Rows'] * node['Actual Loops'] : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsRead(child, table), 0);
}

/**
 * The indexer reads the backlog's oldest page without walking the messages already indexed: under
 * load the backlog holds thousands while the table holds every message ever kept, so a read that
 * starts at the table's first message grows with the table, not with the page.
 */
describe.runIf(hasPostgres || process.env.CI === 'true')('reading the search backlog (postgres)', () => {
  let database: TestDatabase;
  let handle: DbHandle;
  const ids = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => `0193${String(from + i).padStart(12, '0')}`);

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    handle = database.open();
    await migrateToLatest(handle.db, database.schema);
    // 30,000 messages already indexed, then 10,000 waiting (a backlog that fell behind). The tables
    // are not analyzed, as under load, before autovacuum has caught up with them: the planner knows
    // their sizes but not where in the messages the waiting ones are.
    for (const table of ['messages', 'search_backlog'])
      await sql`ALTER TABLE ${sql.table(table)} SET (autovacuum_enabled = false)`.execute(handle.db);
    await handle.db.transaction().execute(async (trx) => {
      // Foreign keys and the backlog's trigger are off for this fill: the rows' owners do not matter.
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      const all = ids(0, 40_000);
      await sql`INSERT INTO messages (id, workspace_id, conversation_id, seq, client_id, author_kind,
          author_id, author_name, body, created_at)
        SELECT id, 'w', 'c' || (n % 50), n, 'k' || id, 'visitor', 'v', 'Visitor', 'sealed', '2026-12-07'
        FROM unnest(${all}::text[]) WITH ORDINALITY AS t(id, n)`.execute(trx);
      await sql`INSERT INTO search_backlog (message_id, conversation_id, workspace_id, created_at)
        SELECT id, 'c', 'w', '2026-12-07' FROM unnest(${ids(30_000, 10_000)}::text[]) AS t(id)`.execute(trx);
    });
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it('returns the oldest waiting messages in order', async () => {
    const page = await selectBacklogMessages(handle.db, 100);
    expect(page.map((m) => m.id)).toEqual(ids(30_000, 100));
  });

  it('reads no more messages than the page it returns', async () => {
    // EXPLAIN (ANALYZE, FORMAT JSON) of the indexer's own query, its limit bound as a parameter.
    const rows = (await backlogMessagesQuery(handle.db, 100).explain('json', sql`analyze`)) as Array<{
      'QUERY PLAN': Array<{ Plan: PlanNode }>;
    }>;
    const plan = rows[0]?.['QUERY PLAN'][0]?.Plan;
    expect(plan).toBeDefined();
    expect(rowsRead(plan as PlanNode, 'messages')).toBeLessThanOrEqual(100);
  });
});
