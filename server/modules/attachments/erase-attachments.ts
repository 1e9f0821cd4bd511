import type { Executor } from '../../platform/db/schema.js';
import { deleteAttachmentRows, listAttachmentIds } from './attachment.repository.js';

/**
 * The attachments of conversations going away (erasure, retention), rows and database chunks, inside
 * the caller's transaction. Chunk files of the file store follow by `sweepAttachmentFiles` once no row
 * names them; they are sealed under the visitor's key, so after an erasure they are unreadable even
 * before the sweep removes them.
 */
export async function eraseConversationAttachments(
  db: Executor,
  conversationIds: readonly string[],
): Promise<string[]> {
  const ids = await listAttachmentIds(db, { conversationIds: [...conversationIds] });
  await deleteAttachmentRows(db, ids);
  return ids;
}
