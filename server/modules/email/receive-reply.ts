import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import { findConversationById } from '../conversations/lookups.js';
import { type MessageDeps, postMessage } from '../conversations/post-message.js';
import { findVisitorInWorkspace } from '../visitors/lookups.js';
import type { InboundMail } from './read-inbound-mail.js';

/**
 * A visitor's answer by mail joins their conversation through the one message command, as the
 * visitor: the bot, the handoff, publishing to open sockets and read receipts see it as any other.
 * Answers to one conversation are taken one after another (the listener awaits each), so they
 * keep the order they arrived in.
 */
export async function receiveReply(
  deps: MessageDeps & { db: Db },
  o: { conversationId: string; mail: Extract<InboundMail, { kind: 'answer' }> },
): Promise<{ seq: number; duplicate: boolean }> {
  const conversation = await findConversationById(deps.db, o.conversationId);
  if (!conversation) throw new AppError('conversation_not_found');
  const visitor = await findVisitorInWorkspace(deps.db, conversation.workspace_id, conversation.visitor_id);
  if (!visitor) throw new AppError('conversation_not_found');
  const result = await postMessage(deps, {
    conversationId: o.conversationId,
    author: { kind: 'visitor', id: visitor.id, name: visitor.display_name },
    clientId: o.mail.clientId,
    body: o.mail.text,
  });
  return { seq: result.message.seq, duplicate: result.duplicate };
}
