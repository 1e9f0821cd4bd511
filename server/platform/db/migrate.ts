import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from '../../db/migrations/index.js';

/** `schema` (PostgreSQL) keeps Kysely's bookkeeping tables in that schema, next to the data. */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });

  let result = await migrator.migrateToLatest();
  // Kysely's introspection reads the catalog of every schema in the database; another schema dropped
  // at that moment (tests drop theirs; an operator might) fails the read though nothing was migrated.
  for (let attempt = 1; attempt < 4 && isForeignSchemaGone(result.error, schema); attempt += 1) {
    result = await migrator.migrateToLatest();
  }
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${(result.error as Error).message ?? String(result.error)}`);
  }
  return result;
}

function isForeignSchemaGone(error: unknown, ours: string | undefined): boolean {
  const match = /^schema "([^"]+)" does not exist$/.exec((error as Error | undefined)?.message ?? '');
  return match !== null && match[1] !== ours;
}
