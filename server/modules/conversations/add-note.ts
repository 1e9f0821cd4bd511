import { randomUUID } from 'node:crypto';
import type { Note } from '../../../protocol/data-protection.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';
import { insertNote } from './note.repository.js';
import { presentNote, sealNoteBody } from './note-codec.js';

/** An internal note on a conversation: agents only, never shown to the visitor. */
export async function addNote(options: {
  db: Db;
  vault: Vault;
  workspaceId: string;
  conversationId: string;
  author: { id: string; name: string };
  body: string;
}): Promise<Note> {
  const key = await options.vault.forConversation(options.db, options.conversationId);
  if (!key || key.workspaceId !== options.workspaceId) throw new AppError('conversation_not_found');
  const id = randomUUID();
  const row = {
    id,
    workspace_id: options.workspaceId,
    conversation_id: options.conversationId,
    author_id: options.author.id,
    author_name: options.author.name,
    body: sealNoteBody(key, id, options.body.trim()),
    created_at: nowIso(),
  };
  await insertNote(options.db, row);
  return presentNote(key, row);
}
