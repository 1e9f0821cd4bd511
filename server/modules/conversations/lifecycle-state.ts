import type { Executor } from '../../platform/db/schema.js';
import { insertConversationEvent, moveStatus } from './lifecycle.repository.js';
import { fromStatuses } from './lifecycle-policy.js';

/**
 * A resolution, inside the caller's transaction: the handoff resolves its query and the
 * conversation with it, so the query and the inbox cannot disagree. A conversation already
 * resolved (or closed) stays as it is.
 */
export async function markConversationResolved(
  trx: Executor,
  o: {
    workspaceId: string;
    conversationId: string;
    actor: { kind: 'agent' | 'api' | 'system'; id: string | null };
    code: string | null;
    at: string;
  },
): Promise<boolean> {
  const moved = await moveStatus(trx, {
    conversationId: o.conversationId,
    from: fromStatuses('resolve'),
    to: 'resolved',
    at: o.at,
  });
  if (moved)
    await insertConversationEvent(trx, {
      workspace_id: o.workspaceId,
      conversation_id: o.conversationId,
      kind: 'resolved',
      actor_kind: o.actor.kind,
      actor_id: o.actor.id,
      detail: o.code,
      occurred_at: o.at,
    });
  return moved;
}
