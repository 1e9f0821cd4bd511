import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from '../../db/migrations/index.js';

/** `schema` (PostgreSQL) keeps Kysely's bookkeeping tables in that schema, next to the data. */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });

  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${(result.error as Error).message ?? String(result.error)}`);
  }
  return result;
}
