import { randomUUID } from 'node:crypto';
import { CALL_LIMITS, type CallMedia } from '../../../protocol/calls.js';
import { AppError } from '../../errors.js';
import { clock, nowIso } from '../../platform/clock.js';
import type { CallsTable } from '../../platform/db/schema-calls.js';
import { isUniqueViolation } from '../../platform/db/unique-violation.js';
import { findConversationById } from '../conversations/lookups.js';
import { findWidgetById } from '../widgets/lookups.js';
import { findLiveCallOf, insertCall } from './call.repository.js';
import type { CallDeps } from './call-deps.js';
import { publishToVisitor } from './call-events.js';
import { endCall } from './end-call.js';
import { auditCall, noteCallInTranscript } from './record-call-event.js';

/**
 * An agent offers a call in a conversation they may write to (the caller checked it). It rings on
 * the visitor's sockets; the agent joins its room with a call token like the visitor does. A
 * conversation has one call at a time: an offer nobody answered in time, or the same agent's own
 * earlier call (a reload, a lost connection), is ended first; anyone else's live call is refused.
 */
export async function offerCall(
  deps: CallDeps,
  o: {
    agent: { userId: string; name: string; workspaceId: string };
    conversationId: string;
    media: CallMedia;
    connectionId: string;
  },
): Promise<CallsTable> {
  const conversation = await findConversationById(deps.db, o.conversationId);
  if (!conversation || conversation.workspace_id !== o.agent.workspaceId)
    throw new AppError('conversation_not_found');
  if (conversation.status === 'closed') throw new AppError('conversation_closed');
  const widget = await findWidgetById(deps.db, conversation.widget_id);
  if (widget?.calls_enabled !== 1) throw new AppError('calls_disabled');
  const live = await findLiveCallOf(deps.db, o.conversationId);
  if (live) {
    const rangOut =
      live.state === 'ringing' && clock.now() - Date.parse(live.created_at) > CALL_LIMITS.ringSeconds * 1000;
    if (!rangOut && live.agent_user_id !== o.agent.userId) throw new AppError('call_in_progress');
    await endCall(deps, { callId: live.id, reason: live.state === 'ringing' ? 'missed' : 'left', by: null });
  }
  const now = nowIso();
  const row: CallsTable = {
    id: randomUUID(),
    workspace_id: o.agent.workspaceId,
    conversation_id: o.conversationId,
    agent_user_id: o.agent.userId,
    media: o.media,
    state: 'ringing',
    // The agent's seat is the offering socket's: their other devices cannot take it.
    agent_conn: o.connectionId,
    visitor_conn: null,
    agent_seen_at: now,
    visitor_seen_at: null,
    created_at: now,
    accepted_at: null,
    ended_at: null,
    end_reason: null,
  };
  try {
    await insertCall(deps.db, row);
  } catch (err) {
    // Another offer won the race for this conversation.
    if (isUniqueViolation(err)) throw new AppError('call_in_progress');
    throw err;
  }
  await auditCall(deps, {
    workspaceId: row.workspace_id,
    actor: { type: 'user', id: o.agent.userId },
    action: 'call.offered',
    callId: row.id,
    conversationId: row.conversation_id,
    media: row.media,
  });
  await noteCallInTranscript(deps, {
    callId: row.id,
    conversationId: row.conversation_id,
    note: { event: 'offered', media: row.media, agentName: o.agent.name },
  });
  await publishToVisitor(deps.pubsub, {
    kind: 'call',
    conversationId: row.conversation_id,
    callId: row.id,
    from: o.connectionId,
    frame: {
      type: 'call.offered',
      callId: row.id,
      conversationId: row.conversation_id,
      media: row.media,
      agent: { id: o.agent.userId, name: o.agent.name },
    },
  });
  return row;
}
