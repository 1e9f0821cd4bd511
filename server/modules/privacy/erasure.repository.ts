import type { Executor } from '../../platform/db/schema.js';
import type { ErasuresTable } from '../../platform/db/schema-data-protection.js';
import { eraseFlowRecords } from '../bot/erase-flow-records.js';
import { eraseConversations } from '../conversations/erase-conversations.js';
import { eraseConversationQueries } from '../handoff/erase-conversation-queries.js';

export async function insertErasure(db: Executor, row: ErasuresTable): Promise<void> {
  await db.insertInto('erasures').values(row).execute();
}

export function listErasures(db: Executor) {
  return db.selectFrom('erasures').selectAll().orderBy('erased_at').orderBy('id').execute();
}

export function findVisitorById(db: Executor, visitorId: string) {
  return db.selectFrom('visitors').selectAll().where('id', '=', visitorId).executeTakeFirst();
}

/**
 * Deletes every row about a visitor, the wrapped data key included (crypto-shredding: any copy of
 * their ciphertext elsewhere, a backup included, can no longer be decrypted). The service and flows
 * modules delete their own rows (queries and their events; flow runs and checkpoints). Returns the ids
 * of the conversations removed, so caches can drop them.
 */
export async function purgeVisitorRows(db: Executor, visitorId: string): Promise<string[]> {
  const conversations = await db
    .selectFrom('conversations')
    .select('id')
    .where('visitor_id', '=', visitorId)
    .execute();
  const ids = conversations.map((c) => c.id);
  await db.deleteFrom('conversation_archives').where('visitor_id', '=', visitorId).execute();
  if (ids.length > 0) {
    await eraseConversationQueries(db, ids);
    await eraseFlowRecords(db, ids);
    await eraseConversations(db, ids);
  }
  await db.deleteFrom('ws_tickets').where('visitor_id', '=', visitorId).execute();
  await db.deleteFrom('visitor_credentials').where('visitor_id', '=', visitorId).execute();
  await db.deleteFrom('visitor_profiles').where('visitor_id', '=', visitorId).execute();
  await db.deleteFrom('data_keys').where('id', '=', visitorId).where('purpose', '=', 'visitor').execute();
  await db.deleteFrom('visitors').where('id', '=', visitorId).execute();
  return ids;
}
