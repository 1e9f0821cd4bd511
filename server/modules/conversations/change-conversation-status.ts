import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/schema.js';
import type { ConversationEventKind, ConversationStatus } from '../../platform/db/schema-lifecycle.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import type { Vault } from '../encryption/vault.js';
import { mayAccessConversation, type Scope } from '../handoff/scope.js';
import { findConversationById } from './conversation.repository.js';
import { publishConversationStatus, publishConversationUpdated } from './events.js';
import { insertConversationEvent, moveStatus } from './lifecycle.repository.js';
import { type LifecycleAction, transition } from './lifecycle-policy.js';

export interface LifecycleDeps {
  db: Db;
  vault: Vault;
  pubsub: PubSub;
}

/** Who changes a status: an agent, an API token, or Parley itself (the snooze waker). */
export interface LifecycleActor {
  kind: 'agent' | 'api' | 'system';
  id: string | null;
}

export const EVENT_OF: Record<LifecycleAction, ConversationEventKind> = {
  resolve: 'resolved',
  reopen: 'reopened',
  set_pending: 'pending',
  snooze: 'snoozed',
  close: 'closed',
  visitor_wrote: 'reopened',
  wake: 'woke',
};

/**
 * What every status command shares: the write is confined like a read (handoff/scope.ts; outside
 * the scope the conversation does not exist), the policy decides (lifecycle-policy.ts), the write is
 * conditional on the status read, the event is recorded with it, and the change reaches every
 * node: the conversation's followers (`conversation.status`) and every inbox (`conversation.updated`).
 */
export async function changeConversationStatus(
  deps: LifecycleDeps,
  o: {
    workspaceId: string;
    conversationId: string;
    /** null: Parley's own work (the scheduler), not confined. */
    scope: Scope | null;
    action: LifecycleAction;
    actor: LifecycleActor;
    detail?: string | null;
    snoozedUntil?: string | null;
    /** More work in the same commit (closing abandons the query, for one). */
    alongside?: (trx: Executor) => Promise<void>;
  },
): Promise<{ from: ConversationStatus; to: ConversationStatus }> {
  const { db } = deps;
  if (o.scope && !(await mayAccessConversation(db, o.scope, o.conversationId)))
    throw new AppError('conversation_not_found');
  const row = await findConversationById(db, o.conversationId);
  if (!row || row.workspace_id !== o.workspaceId) throw new AppError('conversation_not_found');
  const next = transition(row.status, o.action);
  if (!next.ok)
    throw new AppError(next.reason === 'closed' ? 'conversation_closed' : 'status_change_refused');
  const at = nowIso();
  await db.transaction().execute(async (trx) => {
    const moved = await moveStatus(trx, {
      conversationId: row.id,
      from: [row.status],
      to: next.to,
      at,
      snoozedUntil: o.snoozedUntil ?? null,
    });
    // Someone else changed it between the read and the write: theirs stands.
    if (!moved) throw new AppError('status_change_refused');
    await insertConversationEvent(trx, {
      workspace_id: o.workspaceId,
      conversation_id: row.id,
      kind: EVENT_OF[o.action],
      actor_kind: o.actor.kind,
      actor_id: o.actor.id,
      detail: o.detail ?? null,
      occurred_at: at,
    });
    await o.alongside?.(trx);
  });
  await announceStatus(deps, { workspaceId: o.workspaceId, conversationId: row.id, status: next.to });
  return { from: row.status, to: next.to };
}

/** A status change to every node: followers (the widget, open views) and every inbox. Best effort. */
export async function announceStatus(
  deps: LifecycleDeps,
  o: { workspaceId: string; conversationId: string; status: ConversationStatus; scopeChanged?: boolean },
): Promise<void> {
  await publishConversationStatus({
    pubsub: deps.pubsub,
    conversationId: o.conversationId,
    status: o.status,
  });
  await publishConversationUpdated({
    ...deps,
    workspaceId: o.workspaceId,
    conversationId: o.conversationId,
    ...(o.scopeChanged ? { scopeChanged: true } : {}),
  });
}
