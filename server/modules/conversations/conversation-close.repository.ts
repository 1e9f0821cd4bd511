import type { Executor } from '../../platform/db/schema.js';
import { deleteCursorsOf } from './read-cursor.repository.js';

/** Messages, notes and read cursors of these conversations (the rows stay), returning how many messages went. */
export async function deleteContentOf(db: Executor, conversationIds: readonly string[]): Promise<number> {
  if (conversationIds.length === 0) return 0;
  await db.deleteFrom('conversation_notes').where('conversation_id', 'in', conversationIds).execute();
  await db.deleteFrom('message_outbox').where('conversation_id', 'in', conversationIds).execute();
  await deleteCursorsOf(db, conversationIds);
  const r = await db
    .deleteFrom('messages')
    .where('conversation_id', 'in', conversationIds)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteConversationRows(
  db: Executor,
  conversationIds: readonly string[],
): Promise<void> {
  if (conversationIds.length === 0) return;
  await db.deleteFrom('conversations').where('id', 'in', conversationIds).execute();
}
