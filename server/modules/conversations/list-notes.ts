import type { Note } from '../../../protocol/data-protection.js';
import type { Executor } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';
import { listNoteRows } from './note.repository.js';
import { presentNote } from './note-codec.js';

export async function listNotes(options: {
  db: Executor;
  vault: Vault;
  conversationId: string;
}): Promise<Note[]> {
  const rows = await listNoteRows(options.db, options.conversationId);
  if (rows.length === 0) return [];
  const key = await options.vault.forConversation(options.db, options.conversationId);
  if (!key) return [];
  return rows.map((row) => presentNote(key, row));
}
