import type { CallEndReason } from '../../../protocol/calls.js';
import { clock, nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import type { AuditActor } from '../audit/record-audit-event.js';
import { deleteCallsOf, markEnded } from './call.repository.js';
import type { CallDeps } from './call-deps.js';
import { publishCallEvent, publishToVisitor } from './call-events.js';
import { auditCall, noteCallInTranscript } from './record-call-event.js';

/**
 * Ends a call, once, whoever asks first: the row says so, the transcript and the audit log say how,
 * and every node hears it on the call's channel, so both sides' sockets leave the room at once
 * wherever they are. The socket that ended it (`by.connectionId`) is answered by its caller.
 * Returns the call's duration in seconds (0 if it was never accepted), or null when it had already ended.
 */
export async function endCall(
  deps: CallDeps,
  o: {
    callId: string;
    reason: CallEndReason;
    by: { actor: AuditActor; connectionId: string } | null;
    /** Only a call still ringing (a decline, the ring timing out). */
    onlyRinging?: boolean;
    /** Only a call still in this state: the sweep ends what it read, not what changed since. */
    onlyIn?: 'ringing' | 'active';
    /**
     * When it really ended, if not now: a lost call ended when its sides were last known to be there,
     * and its talk time counts to then.
     */
    endedAt?: string;
  },
): Promise<number | null> {
  const now = o.endedAt ?? nowIso();
  const before = await markEnded(deps.db, {
    callId: o.callId,
    reason: o.reason,
    now,
    onlyRinging: o.onlyRinging,
    onlyIn: o.onlyIn,
  });
  if (!before) return null;
  const end = o.endedAt ? Date.parse(o.endedAt) : clock.now();
  const durationSeconds = before.accepted_at
    ? Math.max(0, Math.round((end - Date.parse(before.accepted_at)) / 1000))
    : 0;
  const event = {
    kind: 'ended' as const,
    callId: before.id,
    conversationId: before.conversation_id,
    reason: o.reason,
    durationSeconds,
    from: o.by?.connectionId ?? null,
  };
  // Sockets first: nothing about a call that ended may keep flowing while its record is written.
  await publishCallEvent(deps.pubsub, event);
  await publishToVisitor(deps.pubsub, {
    kind: 'call',
    conversationId: before.conversation_id,
    callId: before.id,
    from: event.from,
    frame: {
      type: 'call.ended',
      callId: before.id,
      conversationId: before.conversation_id,
      reason: o.reason,
      durationSeconds,
    },
  });
  await auditCall(deps, {
    workspaceId: before.workspace_id,
    actor: o.by?.actor ?? { type: 'system' },
    action: o.reason === 'declined' ? 'call.declined' : 'call.ended',
    callId: before.id,
    conversationId: before.conversation_id,
    media: before.media,
    reason: o.reason,
    durationSeconds,
  });
  await noteCallInTranscript(deps, {
    callId: before.id,
    conversationId: before.conversation_id,
    note:
      o.reason === 'declined'
        ? { event: 'declined' }
        : before.accepted_at
          ? { event: 'ended', durationSeconds }
          : { event: 'missed' },
  });
  return durationSeconds;
}

/** The conversations go (an erasure, retirement): their calls and call tokens go with them. */
export function eraseConversationCalls(db: Executor, conversationIds: readonly string[]): Promise<void> {
  return deleteCallsOf(db, conversationIds);
}
