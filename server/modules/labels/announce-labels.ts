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

/**
 * The workspace's labels changed (one created, renamed, recoloured or deleted): every inbox of the
 * workspace, on every node, hears `labels.changed` and reads `GET /labels` again (a deleted label's
 * chips go with it). Says nothing but that; best effort, like the conversation's labels.
 */
export async function announceLabelCatalogue(
  deps: { pubsub: PubSub; log: { warn: (obj: object, msg: string) => void } },
  workspaceId: string,
): Promise<void> {
  const event: WorkspaceEvent = { kind: 'label-catalogue' };
  await deps.pubsub
    .publish(workspaceChannel(workspaceId), JSON.stringify(event))
    .catch((err: unknown) =>
      deps.log.warn({ err: { message: (err as Error).message } }, 'label announcement failed'),
    );
}
