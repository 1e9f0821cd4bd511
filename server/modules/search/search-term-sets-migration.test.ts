import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../test/support/services.js';
import { createTestDatabase } from '../../../test/support/test-server.js';
import { migrations } from '../../db/migrations/index.js';
import { migrateToLatest } from '../../platform/db/migrate.js';

/**
 * Migration 2026-12-10-0101-search-term-sets on PostgreSQL: a message's terms move from a row per
 * term (search_terms) to one row of tokens under a GIN index, and back on the way down.
 */
describe.runIf(hasPostgres || process.env.CI === 'true')('search_term_sets migration (postgres)', () => {
  it('replaces search_terms with search_term_sets under a GIN index, and back', async () => {
    const database = await createTestDatabase('postgres');
    const handle = database.open();
    const tables = async () =>
      (
        await sql<{ table_name: string }>`SELECT table_name FROM information_schema.tables
          WHERE table_schema = ${database.schema} AND table_name LIKE 'search_term%'`.execute(handle.db)
      ).rows
        .map((r) => r.table_name)
        .sort();
    const indexes = async (table: string) =>
      (
        await sql<{ indexdef: string }>`SELECT indexdef FROM pg_indexes
          WHERE schemaname = ${database.schema} AND tablename = ${table}`.execute(handle.db)
      ).rows.map((r) => r.indexdef);
    try {
      await migrateToLatest(handle.db, database.schema);
      expect(await tables()).toEqual(['search_term_sets']);
      expect((await indexes('search_term_sets')).some((d) => /USING gin \(terms\)/.test(d))).toBe(true);
      const migrator = new Migrator({
        db: handle.db,
        provider: { getMigrations: async () => migrations },
        ...(database.schema ? { migrationTableSchema: database.schema } : {}),
      });
      const down = await migrator.migrateTo('2026-12-09-0101-last-visitor-seq');
      expect(down.error).toBeUndefined();
      expect(await tables()).toEqual(['search_terms']);
      expect((await indexes('search_terms')).length).toBe(3);
      await migrateToLatest(handle.db, database.schema);
      expect(await tables()).toEqual(['search_term_sets']);
    } finally {
      await handle.close();
      await database.drop();
    }
  });
});
