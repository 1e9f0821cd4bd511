import type { Note } from '../../../protocol/data-protection.js';
import type { ConversationNotesTable } from '../../platform/db/schema-data-protection.js';
import type { VisitorKey } from '../encryption/visitor-key.js';

/** Notes are about the visitor, so they are sealed under the visitor's data key and die with it. */
export function sealNoteBody(key: VisitorKey, noteId: string, body: string): string {
  return key.seal('conversation_notes', 'body', noteId, body);
}

export function presentNote(key: VisitorKey, row: ConversationNotesTable): Note {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    author: { id: row.author_id, name: row.author_name },
    body: key.open('conversation_notes', 'body', row.id, row.body),
    createdAt: row.created_at,
  };
}
