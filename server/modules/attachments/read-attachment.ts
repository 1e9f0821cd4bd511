import { AppError } from '../../errors.js';
import type { Executor } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';
import { findAttachment } from './attachment.repository.js';
import { openChunks } from './attachment-cipher.js';
import type { AttachmentStore } from './attachment-store.js';
import type { OpenedAttachment } from './store-attachment.js';

/**
 * One attachment of a workspace, its name opened, and its content as a stream of opened chunks. The
 * caller has already decided the reader may read the attachment's conversation. Once the visitor's
 * data key is shredded (erasure), nothing opens it, wherever a copy of the chunks sits.
 */
export async function readAttachment(
  deps: { db: Executor; vault: Vault; store: AttachmentStore },
  o: { workspaceId: string; attachmentId: string },
): Promise<{ row: OpenedAttachment; content: AsyncIterable<Buffer> }> {
  const row = await findAttachment(deps.db, o.workspaceId, o.attachmentId);
  if (!row) throw new AppError('attachment_not_found');
  const key = await deps.vault.forConversation(deps.db, row.conversation_id);
  if (!key) throw new AppError('attachment_not_found');
  const ref = { workspaceId: row.workspace_id, conversationId: row.conversation_id, attachmentId: row.id };
  return {
    row: { ...row, name: key.open('attachments', 'name', row.id, row.name) },
    content: openChunks(key, ref, deps.store.read(deps.db, row.id, row.chunk_count), row.chunk_count),
  };
}
