import type { Executor } from '../../platform/db/schema.js';
import type { DataKeysTable } from '../../platform/db/schema-data-protection.js';

export function findDataKey(db: Executor, id: string) {
  return db.selectFrom('data_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findDataKeys(db: Executor, ids: string[]) {
  return db.selectFrom('data_keys').selectAll().where('id', 'in', ids).execute();
}

/** Of two nodes creating the same visitor's key at once, the first insert wins; both then read it. */
export async function insertDataKeyIfAbsent(db: Executor, row: DataKeysTable): Promise<void> {
  await db
    .insertInto('data_keys')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export function findConversationOwner(db: Executor, conversationId: string) {
  return db
    .selectFrom('conversations')
    .select(['visitor_id', 'workspace_id'])
    .where('id', '=', conversationId)
    .executeTakeFirst();
}

/** The next batch of data keys still wrapped under another KEK than `kekId`, in a stable order. */
export function listKeysNotUnder(db: Executor, kekId: string, limit: number) {
  return db
    .selectFrom('data_keys')
    .selectAll()
    .where('kek_id', '!=', kekId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Re-wraps only if nobody changed the row meanwhile (another rotation, an erasure). */
export async function rewrapDataKey(
  db: Executor,
  row: Pick<DataKeysTable, 'id' | 'kek_id'>,
  next: { kekId: string; wrapped: string; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable('data_keys')
    .set({ kek_id: next.kekId, wrapped: next.wrapped, updated_at: next.at })
    .where('id', '=', row.id)
    .where('kek_id', '=', row.kek_id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function countDataKeysByKek(db: Executor) {
  return db
    .selectFrom('data_keys')
    .select(['kek_id', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('kek_id')
    .execute();
}

export async function deleteDataKey(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('data_keys').where('id', '=', id).execute();
}

export async function visitorExists(db: Executor, visitorId: string): Promise<boolean> {
  const row = await db.selectFrom('visitors').select('id').where('id', '=', visitorId).executeTakeFirst();
  return row !== undefined;
}

export async function deleteVisitorKey(db: Executor, visitorId: string): Promise<void> {
  await db.deleteFrom('data_keys').where('id', '=', visitorId).where('purpose', '=', 'visitor').execute();
}
