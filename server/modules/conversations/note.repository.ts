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

/** Notes of a widget's conversations written before `before`, oldest first. */
export async function selectOldNoteIds(
  db: Executor,
  o: { widgetId: string; before: string; limit: number },
): Promise<string[]> {
  const rows = await db
    .selectFrom('conversation_notes')
    .innerJoin('conversations', 'conversations.id', 'conversation_notes.conversation_id')
    .select('conversation_notes.id')
    .where('conversations.widget_id', '=', o.widgetId)
    .where('conversation_notes.created_at', '<', o.before)
    .orderBy('conversation_notes.created_at')
    .orderBy('conversation_notes.id')
    .limit(o.limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function deleteNotesById(db: Executor, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db.deleteFrom('conversation_notes').where('id', 'in', ids).executeTakeFirst();
  return Number(r.numDeletedRows);
}
