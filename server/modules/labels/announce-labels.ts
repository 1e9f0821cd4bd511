import type { Executor } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { type WorkspaceEvent, workspaceChannel } from '../conversations/events.js';
import { findScopeFacts } from '../handoff/scope.js';
import { listLabelsOfConversations } from './label.repository.js';

/**
 * A conversation's labels as they now are, to every inbox on every node (`conversation.labels`):
 * realtime/hub.ts hands it only to sockets whose scope reaches the conversation, as it does the
 * conversation's summary. The whole set travels, not the change, so frames that cross are harmless.
 * Visitors never hear it: labels are the team's. Carries ids only, no personal data.
 */
export async function announceConversationLabels(
  deps: { db: Executor; pubsub: PubSub },
  o: { workspaceId: string; conversationId: string },
): Promise<void> {
  const channel = workspaceChannel(o.workspaceId);
  if (!(await deps.pubsub.listening(channel))) return;
  const facts = (await findScopeFacts(deps.db, [o.conversationId])).get(o.conversationId);
  if (!facts) return;
  const rows = await listLabelsOfConversations(deps.db, o.workspaceId, [o.conversationId]);
  const event: WorkspaceEvent = {
    kind: 'labels',
    conversationId: o.conversationId,
    labelIds: rows.map((r) => r.label_id),
    scope: facts,
  };
  await deps.pubsub.publish(channel, JSON.stringify(event));
}
