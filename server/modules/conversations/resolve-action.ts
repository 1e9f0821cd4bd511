import type { ActionRef, MessageAction, StructuredContent } from '../../../protocol/structured.js';
import { AppError } from '../../errors.js';
import type { Executor } from '../../platform/db/schema.js';
import { findMessageBySeq } from './message.repository.js';

/**
 * The quick reply a visitor's message refers to. It must be an action of a bot message in the same
 * conversation: a visitor cannot claim to have pressed a button nobody offered them.
 */
export async function resolveAction(
  db: Executor,
  conversationId: string,
  ref: ActionRef,
): Promise<MessageAction> {
  const message = await findMessageBySeq(db, conversationId, ref.seq);
  if (message?.author_kind !== 'bot' || !message.structured) throw new AppError('invalid_action');
  const content = JSON.parse(message.structured) as StructuredContent;
  const action = content.actions?.find((a) => a.id === ref.id);
  if (!action) throw new AppError('invalid_action');
  return action;
}
