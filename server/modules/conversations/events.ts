import type { Author, Conversation, Message } from '../../../protocol/common.js';
import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { openSummaryRows } from '../encryption/message-cipher.js';
import type { Vault } from '../encryption/vault.js';
import { FULL_VIEW, viewConversation } from '../privacy/views.js';
import { findConversationSummary } from './conversation.repository.js';
import { presentMessage } from './presenters.js';
import type { SendResult } from './send-message.js';

/** What travels on pub/sub. Each event is serialized once by the node that publishes it. */
export type ConversationEvent =
  | { kind: 'message'; message: Message }
  | { kind: 'typing'; conversationId: string; author: Author; state: 'start' | 'stop'; from: string };
/** `masked` is what roles without personal-data.read receive, masked once by the publishing node. */
export type WorkspaceEvent = {
  kind: 'conversation';
  conversation: Conversation;
  masked: Conversation;
  /** Who among confined agents (operators) receives it: see Hub.dispatch. */
  scope: InboxScope;
};
/** The current query's holder, whether it is queued (and for which team), and a former holder to tell. */
export interface InboxScope {
  assigneeId: string | null;
  queued: boolean;
  teamId: string | null;
  formerAssigneeId: string | null;
}

export const conversationChannel = (conversationId: string) => `parley:c:${conversationId}`;
export const workspaceChannel = (workspaceId: string) => `parley:w:${workspaceId}`;

/** After a commit: the message to the conversation's subscribers, the new summary to the inbox. */
export async function publishMessage(options: {
  db: Db;
  vault: Vault;
  pubsub: PubSub;
  result: SendResult;
}): Promise<void> {
  const { db, vault, pubsub, result } = options;
  const message = presentMessage(result.message);
  const event: ConversationEvent = { kind: 'message', message };
  await pubsub.publish(conversationChannel(message.conversationId), JSON.stringify(event));
  await publishConversationUpdated({
    db,
    vault,
    pubsub,
    workspaceId: result.message.workspace_id,
    conversationId: message.conversationId,
  });
}

export async function publishConversationUpdated(options: {
  db: Db;
  vault: Vault;
  pubsub: PubSub;
  workspaceId: string;
  conversationId: string;
  /** An agent who just lost the query (transfer, reassignment): they are told once more. */
  formerAssigneeId?: string | null;
}): Promise<void> {
  const channel = workspaceChannel(options.workspaceId);
  // With no inbox open on any node there is nobody to tell: skip the read and the sealing work.
  if (!(await options.pubsub.listening(channel))) return;
  const row = await findConversationSummary(options.db, options.workspaceId, options.conversationId);
  if (!row) return;
  const [opened] = await openSummaryRows(options.vault, options.db, [row]);
  if (!opened) return;
  const event: WorkspaceEvent = {
    kind: 'conversation',
    conversation: viewConversation(opened, FULL_VIEW),
    masked: viewConversation(opened, { personalData: false }),
    scope: {
      assigneeId: row.query_assignee_id ?? null,
      queued: row.query_state === 'queued',
      teamId: row.query_team_id ?? null,
      formerAssigneeId: options.formerAssigneeId ?? null,
    },
  };
  await options.pubsub.publish(channel, JSON.stringify(event));
}

export async function publishTyping(options: {
  pubsub: PubSub;
  conversationId: string;
  author: Author;
  state: 'start' | 'stop';
  from: string;
}): Promise<void> {
  const { pubsub, conversationId, author, state, from } = options;
  const event: ConversationEvent = { kind: 'typing', conversationId, author, state, from };
  await pubsub.publish(conversationChannel(conversationId), JSON.stringify(event));
}
