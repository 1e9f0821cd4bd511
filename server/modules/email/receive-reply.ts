import type { ActionRef } from '../../../protocol/structured.js';
import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import { type AttachmentDeps, storeAttachment } from '../attachments/store-attachment.js';
import { findConversationById, findMessageByClientId } from '../conversations/lookups.js';
import { type MessageDeps, postMessage } from '../conversations/post-message.js';
import { findVisitorInWorkspace } from '../visitors/lookups.js';
import type { InboundMail } from './read-inbound-mail.js';

const RETRY = new Set(['conversation_closed', 'attachment_scan_unavailable']);

/**
 * A visitor's answer by mail joins their conversation through the one message command, as the
 * visitor: the bot, the handoff, publishing to open sockets and read receipts see it as any other.
 * Its files go through the attachments module's store command as the visitor's uploads (the
 * workspace's kinds and limits apply, images are re-encoded); a file refused there is left out, and
 * the message says so. Answers to one conversation are taken one after another (the listener awaits
 * each), so they keep the order they arrived in.
 */
export async function receiveReply(
  deps: MessageDeps & { db: Db; attachments: AttachmentDeps },
  o: {
    conversationId: string;
    mail: Extract<InboundMail, { kind: 'answer' }>;
    /** The button of the bot's last message the answer picked by its number (email channels). */
    answer?: { ref: ActionRef; label: string } | null;
  },
): Promise<{ seq: number; duplicate: boolean; messageId: string }> {
  const conversation = await findConversationById(deps.db, o.conversationId);
  if (!conversation) throw new AppError('conversation_not_found');
  const visitor = await findVisitorInWorkspace(deps.db, conversation.workspace_id, conversation.visitor_id);
  if (!visitor) throw new AppError('conversation_not_found');
  // A mail delivered again (its "250" was lost) is stored once, its files too.
  const earlier = await findMessageByClientId(deps.db, o.conversationId, o.mail.clientId);
  if (earlier) return { seq: earlier.seq, duplicate: true, messageId: earlier.id };
  const ids: string[] = [];
  let left = o.mail.droppedFiles;
  for (const file of o.mail.files) {
    try {
      const stored = await storeAttachment(deps.attachments, {
        workspaceId: conversation.workspace_id,
        conversationId: o.conversationId,
        uploader: { kind: 'visitor', id: visitor.id },
        fileName: file.name,
        content: file.content,
      });
      ids.push(stored.id);
    } catch (err) {
      // clamd down or slow: the whole mail is refused for now (451), so the sender's server retries it.
      if (!(err instanceof AppError) || RETRY.has(err.code)) throw err;
      left += 1;
    }
  }
  const note =
    left === 0
      ? ''
      : `[${left === 1 ? 'A file' : `${left} files`} sent by email could not be added (its kind or size is not accepted here, or the malware scan refused it): files can be sent in the chat.]`;
  const text = o.answer && ids.length === 0 ? o.answer.label : o.mail.text;
  const body = [text, note].filter(Boolean).join('\n\n') || '(files sent by email)';
  const result = await postMessage(deps, {
    conversationId: o.conversationId,
    author: { kind: 'visitor', id: visitor.id, name: visitor.display_name },
    clientId: o.mail.clientId,
    body,
    ...(ids.length > 0 ? { attachmentIds: ids } : {}),
    ...(o.answer && ids.length === 0 ? { action: o.answer.ref } : {}),
  });
  return { seq: result.message.seq, duplicate: result.duplicate, messageId: result.message.id };
}
