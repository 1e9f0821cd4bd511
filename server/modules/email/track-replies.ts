import type { MessageStream } from '../conversations/message-stream.js';
import { markReplyPending } from './email.repository.js';

/**
 * A reply from the team (an agent, or the site through its API) starts the wait after which an unseen
 * reply is mailed (send-due-replies.ts). It commits with the message, so no reply is missed by a
 * crash; whether the visitor has an address is only asked when the mail is due.
 */
export function registerReplyTracking(stream: MessageStream): void {
  stream.onStore(async (trx, { message, conversation }) => {
    if (message.author_kind !== 'agent' && message.author_kind !== 'api') return;
    await markReplyPending(trx, {
      conversationId: message.conversation_id,
      workspaceId: message.workspace_id,
      visitorId: conversation.visitor_id,
      at: message.created_at,
    });
  });
}
