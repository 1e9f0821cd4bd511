import type { Executor } from '../../platform/db/schema.js';
import type { ErasuresTable } from '../../platform/db/schema-data-protection.js';

export async function insertErasure(db: Executor, row: ErasuresTable): Promise<void> {
  await db.insertInto('erasures').values(row).execute();
}

export function listErasures(db: Executor) {
  return db.selectFrom('erasures').selectAll().orderBy('erased_at').orderBy('id').execute();
}

export function findVisitorById(db: Executor, visitorId: string) {
  return db.selectFrom('visitors').selectAll().where('id', '=', visitorId).executeTakeFirst();
}

/** The same, locking the row (PostgreSQL only) until the erasure commits: see erase-visitor.ts. */
export function lockVisitorById(db: Executor, visitorId: string) {
  return db.selectFrom('visitors').selectAll().where('id', '=', visitorId).forUpdate().executeTakeFirst();
}
