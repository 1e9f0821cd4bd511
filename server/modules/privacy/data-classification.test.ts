import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/services.js';
import { createTestDatabase } from '../../../test/support/test-server.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { DATA_CLASSIFICATION, visitorColumns } from './data-classification.js';

const BOOKKEEPING = new Set(['kysely_migration', 'kysely_migration_lock']);

/** Every table and column of a database migrated to the latest schema, read from the database itself. */
async function liveSchema(dialect: 'sqlite' | 'postgres'): Promise<Map<string, Set<string>>> {
  const database = await createTestDatabase(dialect);
  const handle = database.open();
  try {
    await migrateToLatest(handle.db, database.schema);
    const rows =
      dialect === 'sqlite'
        ? (
            await sql<{ table: string; column: string }>`SELECT m.name AS "table", p.name AS "column"
              FROM pragma_table_list m JOIN pragma_table_info(m.name) p
              WHERE m.schema = 'main' AND m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`.execute(handle.db)
          ).rows
        : (
            await sql<{ table: string; column: string }>`SELECT table_name AS "table", column_name AS "column"
              FROM information_schema.columns WHERE table_schema = ${database.schema}`.execute(handle.db)
          ).rows;
    const schema = new Map<string, Set<string>>();
    for (const { table, column } of rows) {
      if (BOOKKEEPING.has(table)) continue;
      schema.set(table, (schema.get(table) ?? new Set()).add(column));
    }
    return schema;
  } finally {
    await handle.close();
    await database.drop();
  }
}

/**
 * The classification of personal data covers the schema exactly: a migration that adds a table or a
 * column must say what it holds (and, for a visitor's data, how retention, erasure and export cover
 * it), and the classification names nothing that does not exist.
 */
describe.each(DIALECTS)('data classification against the live schema (%s)', (dialect) => {
  let schema: Map<string, Set<string>>;
  beforeAll(async () => {
    schema = await liveSchema(dialect);
  });

  it('classifies every column of every table, and nothing else', () => {
    expect(schema.size).toBeGreaterThan(40);
    const unclassified: string[] = [];
    for (const [table, columns] of schema) {
      const declared = DATA_CLASSIFICATION[table];
      if (!declared) {
        unclassified.push(`table ${table}`);
        continue;
      }
      for (const column of columns) if (!declared.columns[column]) unclassified.push(`${table}.${column}`);
    }
    expect(unclassified, 'add these to server/modules/privacy/data-classification.ts').toEqual([]);

    const stale: string[] = [];
    for (const [table, declared] of Object.entries(DATA_CLASSIFICATION)) {
      if (declared.only && declared.only !== dialect) {
        if (schema.has(table)) stale.push(`table ${table} is declared ${declared.only} only`);
        continue;
      }
      const columns = schema.get(table);
      if (!columns) {
        stale.push(`table ${table}`);
        continue;
      }
      for (const column of Object.keys(declared.columns))
        if (!columns.has(column)) stale.push(`${table}.${column}`);
    }
    expect(stale, 'the classification names columns the schema does not have').toEqual([]);
  });

  it('ties every table that refers to a visitor to them, through a column it has', () => {
    const reachColumn = {
      visitor: 'id',
      visitor_id: 'visitor_id',
      conversation: 'conversation_id',
      query: 'query_id',
      'data-key': 'id',
    };
    const problems: string[] = [];
    for (const [table, declared] of Object.entries(DATA_CLASSIFICATION)) {
      if (declared.only && declared.only !== dialect) continue;
      const columns = schema.get(table) ?? new Set<string>();
      if (declared.reach && !columns.has(reachColumn[declared.reach]))
        problems.push(`${table} is reached by ${declared.reach} but has no ${reachColumn[declared.reach]}`);
      // A table that names a visitor or a conversation holds something about a visitor, unless the
      // classification says why not (erasure records, the audit chain).
      const refers = columns.has('visitor_id') || columns.has('conversation_id');
      const personal = Object.values(declared.columns).some((c) => c.subject === 'visitor');
      if (refers && !declared.reach && personal) problems.push(`${table} holds visitor data but no reach`);
      if (
        refers &&
        !declared.reach &&
        !Object.values(declared.columns).some((c) => c.subject === 'none' && c.why)
      )
        problems.push(`${table} refers to visitors without saying why it is not about them`);
    }
    expect(problems).toEqual([]);
    expect(visitorColumns().length).toBeGreaterThan(50);
  });
});
