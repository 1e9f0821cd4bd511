import type { FastifyBaseLogger } from 'fastify';
import type { CallEndReason, CallMedia } from '../../../protocol/calls.js';
import { visitorText } from '../../i18n/visitor-texts.js';
import { type AuditActor, recordAuditEvent } from '../audit/record-audit-event.js';
import { type MessageDeps, postMessage } from '../conversations/post-message.js';
import { findWidgetById } from '../widgets/lookups.js';

export type CallNote =
  | { event: 'offered'; media: CallMedia; agentName: string }
  | { event: 'accepted' }
  | { event: 'declined' }
  | { event: 'missed' }
  | { event: 'ended'; durationSeconds: number };

/**
 * A call event in the transcript, through the message command like every message (so the inbox,
 * the search and the export see it), in the conversation's language, said by Parley (the widget's
 * bot). The client id is derived from the call and the event: a retry stores it once.
 */
export async function noteCallInTranscript(
  deps: MessageDeps,
  o: { callId: string; conversationId: string; note: CallNote },
): Promise<void> {
  const conversation = await deps.db
    .selectFrom('conversations')
    .select(['widget_id', 'language'])
    .where('id', '=', o.conversationId)
    .executeTakeFirst();
  if (!conversation) return;
  const widget = await findWidgetById(deps.db, conversation.widget_id);
  if (!widget) return;
  const n = o.note;
  const body =
    n.event === 'offered'
      ? visitorText(conversation.language, n.media === 'video' ? 'callStartedVideo' : 'callStartedAudio', {
          agent: n.agentName,
        })
      : n.event === 'ended'
        ? visitorText(conversation.language, 'callEnded', { duration: formatDuration(n.durationSeconds) })
        : visitorText(
            conversation.language,
            n.event === 'accepted' ? 'callAccepted' : n.event === 'declined' ? 'callDeclined' : 'callMissed',
          );
  await postMessage(deps, {
    conversationId: o.conversationId,
    author: { kind: 'bot', id: widget.id, name: widget.bot_name },
    clientId: `call_${o.callId.replace(/-/g, '')}_${n.event}`,
    body,
  });
}

/** `m:ss`, or `h:mm:ss` past an hour: the same in every language the widget speaks. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** Who started, joined, declined and ended which call: ids and outcomes only. */
export function auditCall(
  deps: { db: MessageDeps['db']; log: FastifyBaseLogger },
  o: {
    workspaceId: string;
    actor: AuditActor;
    action: 'call.offered' | 'call.joined' | 'call.declined' | 'call.ended';
    callId: string;
    conversationId: string;
    media: CallMedia;
    reason?: CallEndReason;
    durationSeconds?: number;
  },
): Promise<void> {
  return recordAuditEvent(
    deps.db,
    {
      workspaceId: o.workspaceId,
      actor: o.actor,
      action: o.action,
      target: { type: 'call', id: o.callId },
      details: {
        conversationId: o.conversationId,
        media: o.media,
        ...(o.reason ? { reason: o.reason } : {}),
        ...(o.durationSeconds !== undefined ? { durationSeconds: o.durationSeconds } : {}),
      },
    },
    deps.log,
  );
}
