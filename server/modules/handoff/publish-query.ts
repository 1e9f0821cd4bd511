import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { publishConversationUpdated } from '../conversations/events.js';
import type { Vault } from '../encryption/vault.js';
import { assignWaitingQueries } from './assign-waiting-queries.js';

export interface ServiceDeps {
  db: Db;
  vault: Vault;
  pubsub: PubSub;
  presenceTtlMs: number;
}

/** Tells every inbox (on every node) what changed, then lets waiting queries find a free agent. */
export async function publishQueryChange(
  deps: ServiceDeps,
  change: { workspaceId: string; conversationId?: string; formerAssigneeId?: string | null },
): Promise<void> {
  if (change.conversationId)
    await publishConversationUpdated({
      ...deps,
      workspaceId: change.workspaceId,
      conversationId: change.conversationId,
      formerAssigneeId: change.formerAssigneeId ?? null,
      scopeChanged: true,
    });
  await routeQueue(deps, change.workspaceId);
}

/** Runs round-robin assignment and announces each assignment it made. */
export async function routeQueue(deps: ServiceDeps, workspaceId: string): Promise<void> {
  const assigned = await assignWaitingQueries({
    db: deps.db,
    workspaceId,
    presenceTtlMs: deps.presenceTtlMs,
  });
  for (const { queryId } of assigned) {
    const row = await deps.db
      .selectFrom('queries')
      .select('conversation_id')
      .where('id', '=', queryId)
      .executeTakeFirst();
    if (row)
      await publishConversationUpdated({
        ...deps,
        workspaceId,
        conversationId: row.conversation_id,
        scopeChanged: true,
      });
  }
}
