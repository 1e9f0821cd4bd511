import { AppError } from '../../errors.js';
import { clock } from '../../platform/clock.js';
import { findConversationById } from '../conversations/lookups.js';
import { lastDeliveryAt } from './email.repository.js';
import { type EmailDeps, mailConversation } from './mail-conversation.js';

/** A transcript is mailed at most this often per conversation: the button is no way to flood a mailbox. */
const TRANSCRIPT_EVERY_MS = 5 * 60_000;

/** The visitor asked for their conversation by email: mailed to the address they left. */
export async function emailTranscript(
  deps: EmailDeps,
  o: { conversationId: string; visitor: { visitorId: string; workspaceId: string } },
): Promise<void> {
  const conversation = await findConversationById(deps.db, o.conversationId);
  if (
    !conversation ||
    conversation.visitor_id !== o.visitor.visitorId ||
    conversation.workspace_id !== o.visitor.workspaceId
  )
    throw new AppError('conversation_not_found');
  if (deps.mailer.kind !== 'smtp') throw new AppError('email_not_configured');
  const last = await lastDeliveryAt(deps.db, o.conversationId, 'transcript');
  if (last && clock.now() - Date.parse(last) < TRANSCRIPT_EVERY_MS)
    throw new AppError('email_too_soon', { retryAfterSeconds: 300 });
  const sent = await mailConversation(deps, {
    conversationId: o.conversationId,
    kind: 'transcript',
    fromSeq: 0,
    toSeq: conversation.last_seq,
  });
  if (sent === 'unavailable') throw new AppError('email_unavailable');
}
