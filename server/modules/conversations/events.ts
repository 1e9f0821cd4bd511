import type { Author, Conversation, ConversationStatus, Message } from '../../../protocol/common.js';
import type { Db, MessagesTable } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { type OpenedSummaryRow, openSummaryRows } from '../encryption/message-cipher.js';
import type { Vault } from '../encryption/vault.js';
import type { ScopeFacts } from '../handoff/scope.js';
import { FULL_VIEW, viewConversation } from '../privacy/views.js';
import {
  findConversationSummaries,
  findConversationSummary,
  scopeFactsOf,
} from './conversation.repository.js';
import type { MessageStream } from './message-stream.js';
import { presentMessage } from './presenters.js';

/** What travels on pub/sub. Each event is serialized once by the node that publishes it. */
export type ConversationEvent =
  | { kind: 'message'; message: Message }
  | { kind: 'typing'; conversationId: string; author: Author; state: 'start' | 'stop'; from: string }
  /** Who may follow the conversation changed (assignment, transfer, resolution, closing). */
  | { kind: 'scope'; conversationId: string; facts: ScopeFacts }
  /** The lifecycle status changed (resolved, reopened, snoozed, pending, closed): everyone following it hears. */
  | { kind: 'status'; conversationId: string; status: ConversationStatus };
/** What travels on a workspace's channel to every inbox (routed by scope in realtime/hub.ts). */
export type WorkspaceEvent = SummaryEvent | LabelsEvent | { kind: 'label-catalogue' };
/** `masked` is what roles without personal-data.read receive, masked once by the publishing node. */
export type SummaryEvent = {
  kind: 'conversation';
  conversation: Conversation;
  masked: Conversation;
  /** Who among confined agents (operators) receives it (handoff/scope.ts, via Hub.dispatch). */
  scope: ScopeFacts;
  /** An agent who just lost the query (transfer, reassignment): told once more, so it leaves their inbox. */
  formerAssigneeId: string | null;
};
/** A conversation's labels now (labels/announce-labels.ts): to the inboxes whose scope reaches it. */
export type LabelsEvent = {
  kind: 'labels';
  conversationId: string;
  labelIds: string[];
  scope: ScopeFacts;
};

export const conversationChannel = (conversationId: string) => `parley:c:${conversationId}`;
export const workspaceChannel = (workspaceId: string) => `parley:w:${workspaceId}`;

/**
 * A committed message to its conversation's subscribers on every node. Best effort: when pub/sub is
 * down the message is still stored, and open sockets read it from the database (realtime/hub.ts).
 */
export async function publishStoredMessage(
  deps: { pubsub: PubSub; stream: MessageStream },
  row: MessagesTable,
): Promise<void> {
  const event: ConversationEvent = { kind: 'message', message: presentMessage(row) };
  try {
    await deps.pubsub.publish(conversationChannel(row.conversation_id), JSON.stringify(event));
  } catch (err) {
    deps.stream.log.warn({ err }, 'publish failed; open sockets catch up from the database');
  }
}

/**
 * Inbox updates are a subscriber of the message stream: the new summary after every message. The
 * messages announced in one turn of the event loop (a commit group's) are read and published
 * together: one summary read per workspace instead of one per message, and a conversation that got
 * several of them is read and published once, as it stands after the last.
 */
export function registerInboxUpdates(stream: MessageStream, deps: { db: Db; vault: Vault; pubsub: PubSub }) {
  let pending: { byWorkspace: Map<string, Set<string>>; flushed: Promise<void> } | null = null;
  stream.onCreated(({ message }) => {
    if (!pending) {
      const byWorkspace = new Map<string, Set<string>>();
      // After the other announcements of this turn; each was committed before it was announced.
      const flushed = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        pending = null;
        await Promise.all(
          [...byWorkspace].map(([workspaceId, ids]) =>
            publishConversationsUpdated({ ...deps, workspaceId, conversationIds: [...ids] }),
          ),
        );
      });
      pending = { byWorkspace, flushed };
    }
    const ids = pending.byWorkspace.get(message.workspace_id);
    if (ids) ids.add(message.conversation_id);
    else pending.byWorkspace.set(message.workspace_id, new Set([message.conversation_id]));
    return pending.flushed;
  });
}

/** Several conversations' new summaries to every inbox, read together (no change of scope). */
async function publishConversationsUpdated(options: {
  db: Db;
  vault: Vault;
  pubsub: PubSub;
  workspaceId: string;
  conversationIds: string[];
}): Promise<void> {
  const [only, ...more] = options.conversationIds;
  if (only === undefined) return;
  if (more.length === 0) return publishConversationUpdated({ ...options, conversationId: only });
  const channel = workspaceChannel(options.workspaceId);
  if (!(await options.pubsub.listening(channel))) return;
  const rows = await findConversationSummaries(options.db, options.workspaceId, options.conversationIds);
  const opened = await openSummaryRows(options.vault, options.db, rows);
  // Published together: Redis takes them in one write, in this order.
  await Promise.all(
    opened.map((row) => options.pubsub.publish(channel, JSON.stringify(summaryEvent(row, null)))),
  );
}

/** An inbox's view of a conversation, in full and masked once, for whoever receives it. */
function summaryEvent(opened: OpenedSummaryRow, formerAssigneeId: string | null): WorkspaceEvent {
  return {
    kind: 'conversation',
    conversation: viewConversation(opened, FULL_VIEW),
    masked: viewConversation(opened, { personalData: false }),
    scope: scopeFactsOf(opened),
    formerAssigneeId,
  };
}

/**
 * The conversation's new summary to every inbox (on every node). With `scopeChanged` (its query
 * was assigned, transferred, resolved, released or closed) its open subscriptions hear the new facts
 * too, and any socket whose scope no longer reaches it stops following it at once (realtime/hub.ts).
 */
export async function publishConversationUpdated(options: {
  db: Db;
  vault: Vault;
  pubsub: PubSub;
  workspaceId: string;
  conversationId: string;
  /** An agent who just lost the query (transfer, reassignment): they are told once more. */
  formerAssigneeId?: string | null;
  scopeChanged?: boolean;
}): Promise<void> {
  const channel = workspaceChannel(options.workspaceId);
  const followers = conversationChannel(options.conversationId);
  // With nobody to tell on any node, skip the read and the sealing work.
  const inbox = await options.pubsub.listening(channel);
  const following = options.scopeChanged === true && (await options.pubsub.listening(followers));
  if (!inbox && !following) return;
  const row = await findConversationSummary(options.db, options.workspaceId, options.conversationId);
  if (!row) return;
  const facts = scopeFactsOf(row);
  if (following) {
    const event: ConversationEvent = { kind: 'scope', conversationId: row.id, facts };
    await options.pubsub.publish(followers, JSON.stringify(event));
  }
  if (!inbox) return;
  const [opened] = await openSummaryRows(options.vault, options.db, [row]);
  if (!opened) return;
  await options.pubsub.publish(
    channel,
    JSON.stringify(summaryEvent(opened, options.formerAssigneeId ?? null)),
  );
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

/**
 * A status change to the conversation's followers on every node: the visitor's widget says so and
 * its composer shows what comes next; an agent's open view updates. Carries no personal data.
 */
export async function publishConversationStatus(options: {
  pubsub: PubSub;
  conversationId: string;
  status: ConversationStatus;
}): Promise<void> {
  const event: ConversationEvent = {
    kind: 'status',
    conversationId: options.conversationId,
    status: options.status,
  };
  await options.pubsub.publish(conversationChannel(options.conversationId), JSON.stringify(event));
}
