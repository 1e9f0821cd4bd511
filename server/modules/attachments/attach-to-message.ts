import type { Attachment } from '../../../protocol/attachments.js';
import type { Author } from '../../../protocol/common.js';
import { AppError } from '../../errors.js';
import type { Executor } from '../../platform/db/schema.js';
import type { VisitorKey } from '../encryption/visitor-key.js';
import { presentAttachment } from './attachment.presenter.js';
import { findUnsentAttachments, setAttachmentsMessage } from './attachment.repository.js';

/**
 * The files a message is about to carry, as the message stores them: uploads of this author to this
 * conversation that no message carries yet, in the order given. Anything else (another sender's file,
 * another conversation's, one already sent) is `attachment_not_found`, as if it did not exist.
 */
export async function findAttachable(
  trx: Executor,
  o: { key: VisitorKey; conversationId: string; ids: string[]; uploader: Author },
): Promise<Attachment[]> {
  const ids = [...new Set(o.ids)];
  if (o.uploader.kind === 'bot') throw new AppError('attachment_not_found');
  const rows = await findUnsentAttachments(trx, {
    conversationId: o.conversationId,
    ids,
    uploaderKind: o.uploader.kind,
    uploaderId: o.uploader.id,
  });
  if (rows.length !== ids.length) throw new AppError('attachment_not_found');
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => {
    const row = byId.get(id) as (typeof rows)[number];
    return presentAttachment({ ...row, name: o.key.open('attachments', 'name', row.id, row.name) });
  });
}

/** In the message's transaction: the files are the message's now, once (a race loses, and rolls back). */
export async function claimAttachments(
  trx: Executor,
  o: { conversationId: string; messageId: string; ids: string[] },
): Promise<void> {
  const ids = [...new Set(o.ids)];
  const claimed = await setAttachmentsMessage(trx, o.conversationId, ids, o.messageId);
  if (claimed !== ids.length) throw new AppError('attachment_not_found');
}
