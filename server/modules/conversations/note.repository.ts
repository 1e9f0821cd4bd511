import type { Executor } from '../../platform/db/schema.js';
import type { ConversationNotesTable } from '../../platform/db/schema-data-protection.js';

export async function insertNote(db: Executor, row: ConversationNotesTable): Promise<void> {
  await db.insertInto('conversation_notes').values(row).execute();
}

export function listNoteRows(db: Executor, conversationId: string) {
  return db
    .selectFrom('conversation_notes')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(500)
    .execute();
}
