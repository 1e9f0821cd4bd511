import type { LifecycleDeps } from './change-conversation-status.js';
import { publishConversationStatus } from './events.js';
import { insertConversationEvent, moveStatus } from './lifecycle.repository.js';
import { transition } from './lifecycle-policy.js';
import type { MessageStream } from './message-stream.js';

/**
 * A visitor's message reopens a resolved, pending or snoozed conversation, in the message's own
 * commit (an in-transaction subscriber of the message command): the message and the status cannot
 * disagree, and the row lock the send holds orders it against any agent's change. After the commit
 * the conversation's followers hear `conversation.status`; inboxes get the new summary as after any
 * message (events.ts).
 */
export function registerVisitorReopens(stream: MessageStream, deps: Pick<LifecycleDeps, 'pubsub'>): void {
  const reopened = new Set<string>();
  stream.onStore(async (trx, stored) => {
    const { message, conversation } = stored;
    if (message.author_kind !== 'visitor') return;
    const next = transition(conversation.status, 'visitor_wrote');
    if (!next.ok || !next.changed) return;
    const moved = await moveStatus(trx, {
      conversationId: conversation.id,
      from: [conversation.status],
      to: next.to,
      at: message.created_at,
    });
    if (!moved) return;
    await insertConversationEvent(trx, {
      workspace_id: conversation.workspace_id,
      conversation_id: conversation.id,
      kind: 'reopened',
      actor_kind: 'visitor',
      actor_id: message.author_id,
      occurred_at: message.created_at,
    });
    // The stream's later subscribers (the bot's turn) see the conversation as this commit leaves it.
    conversation.status = next.to;
    conversation.snoozed_until = null;
    conversation.status_changed_at = message.created_at;
    reopened.add(message.id);
  });
  stream.onCreated(async ({ message }) => {
    if (!reopened.delete(message.id)) return;
    await publishConversationStatus({
      pubsub: deps.pubsub,
      conversationId: message.conversation_id,
      status: 'open',
    });
  });
}
