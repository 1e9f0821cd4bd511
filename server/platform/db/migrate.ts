import { type Kysely, type MigrationResultSet, Migrator, sql } from 'kysely';
import { migrations } from '../../db/migrations/index.js';

/**
 * PostgreSQL's "invalid schema name", "undefined table" and "undefined column": what Kysely's catalog
 * reads (and, rarely, a migration's own statements) have reported when another schema was created or
 * dropped while they ran. A real error of that kind fails the same way after the last attempt.
 */
const CATALOG_RACES = new Set(['3F000', '42P01', '42703']);

/** `schema` (PostgreSQL) keeps Kysely's bookkeeping tables in that schema, next to the data. */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });

  for (let attempt = 1; ; attempt += 1) {
    const result = await migrator.migrateToLatest();
    if (!result.error) return result;
    // Kysely introspects the tables of every schema on the server. When another schema is dropped
    // during that query (parallel test runs share one PostgreSQL), it fails with 3F000 naming that
    // other schema. On PostgreSQL the migrations run in one transaction, so nothing stuck: go again.
    const code = (result.error as { code?: unknown }).code;
    if (typeof code === 'string' && CATALOG_RACES.has(code) && attempt < 10) {
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
      continue;
    }
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${(result.error as Error).message ?? String(result.error)}`);
  }
}

/**
 * The migrations this version knows that the database has not applied (readiness, /readyz). Reads
 * Kysely's bookkeeping table directly: the Migrator's own check lists every table of every schema.
 */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  const applied = new Set(rows.map((r) => r.name));
  return Object.keys(migrations).filter((name) => !applied.has(name));
}
