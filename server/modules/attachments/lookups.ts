import type { Attachment } from '../../../protocol/attachments.js';
import type { Executor } from '../../platform/db/schema.js';
import type { VisitorKey } from '../encryption/vault.js';
import { presentAttachment } from './attachment.presenter.js';
import { listAttachmentsOfConversation } from './attachment.repository.js';

/** What other modules may read of attachments. */

/** A conversation's attachments, names opened with the visitor's key (the data-subject export). */
export async function listConversationAttachments(
  db: Executor,
  key: VisitorKey,
  conversationId: string,
): Promise<Attachment[]> {
  const rows = await listAttachmentsOfConversation(db, conversationId);
  return rows.map((row) =>
    presentAttachment({ ...row, name: key.open('attachments', 'name', row.id, row.name) }),
  );
}
