import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import { findCursor } from '../conversations/lookups.js';
import { type MessageDeps, postMessage } from '../conversations/post-message.js';
import { findThread, settleThrough } from './email.repository.js';
import { type EmailDeps, mailConversation, mailTargetOf } from './mail-conversation.js';

/**
 * An agent's reply that is also mailed to the visitor now: the way to follow up a lead whose email
 * the agent's role does not show. The message goes through the one message command; the mail (with
 * the replies the visitor has not seen) goes to the address on file, which the agent never sees.
 * Recorded in the audit log. A resend of the same client id posts and mails nothing again.
 */
export async function followUpByEmail(
  deps: EmailDeps & MessageDeps,
  o: {
    workspaceId: string;
    conversationId: string;
    agent: { userId: string; name: string };
    clientId: string;
    body: string;
    ip: string | null;
    log?: SecurityLogger;
  },
): Promise<{ seq: number; createdAt: string; duplicate: boolean; mailed: boolean }> {
  if (deps.mailer.kind !== 'smtp') throw new AppError('email_not_configured');
  // Checked before the message is stored: a reply promised by email that cannot be mailed is refused.
  const target = await mailTargetOf(deps, o.conversationId);
  if ('unavailable' in target) throw new AppError('email_unavailable');
  const posted = await postMessage(deps, {
    conversationId: o.conversationId,
    author: { kind: 'agent', id: o.agent.userId, name: o.agent.name },
    clientId: o.clientId,
    body: o.body,
  });
  const seq = posted.message.seq;
  const result = { seq, createdAt: posted.message.created_at, duplicate: posted.duplicate, mailed: false };
  if (posted.duplicate) return result;
  const thread = await findThread(deps.db, o.conversationId);
  const cursor = await findCursor(deps.db, o.conversationId, 'visitor', target.visitorId);
  const seen = Math.min(seq - 1, Math.max(thread?.mailed_seq ?? 0, Number(cursor?.read_seq ?? 0)));
  const sent = await mailConversation(deps, {
    conversationId: o.conversationId,
    kind: 'follow_up',
    fromSeq: seen,
    toSeq: seq,
    requestedBy: o.agent.userId,
  });
  if (sent === 'unavailable') throw new AppError('email_unavailable');
  await settleThrough(deps.db, {
    conversationId: o.conversationId,
    workspaceId: o.workspaceId,
    visitorId: target.visitorId,
    seq,
    at: nowIso(),
  });
  await recordAuditEvent(
    deps.db,
    {
      workspaceId: o.workspaceId,
      actor: { type: 'user', id: o.agent.userId },
      action: 'conversation.email.follow_up',
      target: { type: 'conversation', id: o.conversationId },
      ip: o.ip,
      details: { seq },
    },
    o.log,
  );
  return { ...result, mailed: true };
}
