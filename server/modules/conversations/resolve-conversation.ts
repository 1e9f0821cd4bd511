import { AppError } from '../../errors.js';
import { askForRating } from '../handoff/ask-for-rating.js';
import { checkResolutionCode, resolveQuery } from '../handoff/close-query.js';
import { publishQueryChange } from '../handoff/publish-query.js';
import { mayAccessConversation, type Scope } from '../handoff/scope.js';
import { announceStatus, changeConversationStatus } from './change-conversation-status.js';
import { findConversationSummary } from './conversation.repository.js';
import type { MessageDeps } from './post-message.js';

const OPEN_QUERY_STATES = ['queued', 'assigned', 'waiting_on_visitor'];

/**
 * Resolves a conversation, with a resolution code when the agent gives one (required only if the
 * workspace says so). A conversation a person is handling resolves its query in the same commit
 * (handoff/close-query.ts), goes back to the bot, and the visitor is asked for a rating; one the bot
 * alone handled is simply resolved. It leaves "Open" on every inbox at once, and the widget says so.
 */
export async function resolveConversation(
  deps: MessageDeps & { presenceTtlMs: number },
  o: {
    workspaceId: string;
    conversationId: string;
    scope: Scope;
    actor: { userId: string; supervises: boolean };
    code: string | null;
    note?: string;
  },
): Promise<void> {
  const { db } = deps;
  if (!(await mayAccessConversation(db, o.scope, o.conversationId)))
    throw new AppError('conversation_not_found');
  const row = await findConversationSummary(db, o.workspaceId, o.conversationId);
  if (!row) throw new AppError('conversation_not_found');
  if (row.query_id && row.query_state && OPEN_QUERY_STATES.includes(row.query_state)) {
    if (row.status === 'closed') throw new AppError('conversation_closed');
    if (row.status === 'resolved') throw new AppError('status_change_refused');
    const { formerAssigneeId } = await resolveQuery({
      db,
      vault: deps.vault,
      workspaceId: o.workspaceId,
      queryId: row.query_id,
      actor: o.actor,
      code: o.code,
      ...(o.note ? { note: o.note } : {}),
    });
    await announceStatus(deps, { workspaceId: o.workspaceId, conversationId: row.id, status: 'resolved' });
    await askForRating({ ...deps, conversationId: row.id, queryId: row.query_id });
    await publishQueryChange(deps, { workspaceId: o.workspaceId, conversationId: row.id, formerAssigneeId });
    return;
  }
  const code = await checkResolutionCode(db, o.workspaceId, o.code);
  await changeConversationStatus(deps, {
    workspaceId: o.workspaceId,
    conversationId: row.id,
    scope: o.scope,
    action: 'resolve',
    actor: { kind: 'agent', id: o.actor.userId },
    detail: code,
  });
}
