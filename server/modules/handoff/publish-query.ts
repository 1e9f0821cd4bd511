import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { SingleFlights } from '../../platform/single-flight.js';
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

/** Per database (a process may hold several apps) and workspace: the routing in progress. */
const routings = new WeakMap<Db, SingleFlights>();

/**
 * Runs round-robin assignment and announces each assignment it made. One routing at a time per
 * workspace on this node: a call during one is answered by the next, which starts after it and so
 * sees the caller's commit. A thousand conversations handed off at once then cost two routings, not
 * a thousand listings of the queue and the agents that each find the same agents full.
 */
export function routeQueue(deps: ServiceDeps, workspaceId: string): Promise<void> {
  let flights = routings.get(deps.db);
  if (!flights) {
    flights = new SingleFlights();
    routings.set(deps.db, flights);
  }
  return flights.run(workspaceId, () => assignAndAnnounce(deps, workspaceId));
}

async function assignAndAnnounce(deps: ServiceDeps, workspaceId: string): Promise<void> {
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
