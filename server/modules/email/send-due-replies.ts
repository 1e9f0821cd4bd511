import { nowIso } from '../../platform/clock.js';
import { findCursor, findLastSeqs, listMessagesAfter } from '../conversations/lookups.js';
import {
  claimBatch,
  clearPending,
  listDueThreads,
  markReplyPending,
  unclaimBatch,
} from './email.repository.js';
import { type EmailDeps, mailConversation, mailTargetOf } from './mail-conversation.js';

const TEAM = new Set(['agent', 'api']);

/**
 * Mails the replies visitors have not seen within the configured wait, one mail per conversation
 * for all that waited (bounded batches; `keepGoing` renews the job's lease between them). A batch is
 * claimed before it is sent (claimBatch moves the thread's mailed seq only if nobody else did), so
 * two nodes never mail the same replies; a send that fails gives the claim back for the next run.
 */
export async function sendDueReplies(
  deps: EmailDeps,
  o: { now: Date; batchSize: number; keepGoing?: () => Promise<boolean>; maxBatches?: number },
): Promise<{ sent: number; skipped: number; failed: number; completed: boolean }> {
  const result = { sent: 0, skipped: 0, failed: 0, completed: true };
  const dueBefore = new Date(o.now.getTime() - deps.config.email.replyDelayMs).toISOString();
  for (let batch = 0; batch < (o.maxBatches ?? 20); batch += 1) {
    if (o.keepGoing && !(await o.keepGoing())) {
      result.completed = false;
      return result;
    }
    const threads = await listDueThreads(deps.db, { dueBefore, limit: o.batchSize });
    for (const thread of threads) {
      const pendingSince = thread.pending_since as string;
      const outcome = await settleThread(deps, { ...thread, pending_since: pendingSince });
      result[outcome] += 1;
    }
    if (threads.length < o.batchSize) return result;
  }
  return result;
}

async function settleThread(
  deps: EmailDeps,
  thread: { conversation_id: string; visitor_id: string; mailed_seq: number; pending_since: string },
): Promise<'sent' | 'skipped' | 'failed'> {
  const conversationId = thread.conversation_id;
  const at = nowIso();
  const cursor = await findCursor(deps.db, conversationId, 'visitor', thread.visitor_id);
  const seen = Math.max(thread.mailed_seq, Number(cursor?.read_seq ?? 0));
  const unseen = (await listMessagesAfter(deps.db, { conversationId, afterSeq: seen, limit: 500 })).filter(
    (m) => TEAM.has(m.author_kind),
  );
  const last = unseen.at(-1)?.seq;
  if (
    last === undefined ||
    deps.mailer.kind !== 'smtp' ||
    'unavailable' in (await mailTargetOf(deps, conversationId))
  ) {
    // Seen meanwhile, nowhere to send, or no SMTP: the wait ends without a mail.
    await clearPending(deps.db, { conversationId, pendingSince: thread.pending_since, at });
    return 'skipped';
  }
  const claim = {
    conversationId,
    fromSeq: thread.mailed_seq,
    toSeq: last,
    pendingSince: thread.pending_since,
    at,
  };
  if (!(await claimBatch(deps.db, claim))) return 'skipped';
  try {
    await mailConversation(deps, { conversationId, kind: 'replies', fromSeq: seen, toSeq: last });
  } catch {
    await unclaimBatch(deps.db, claim);
    return 'failed';
  }
  // A reply stored between the read above and the claim waits for a mail of its own.
  const lastSeq = (await findLastSeqs(deps.db, [conversationId])).get(conversationId) ?? last;
  if (lastSeq > last) {
    const later = await listMessagesAfter(deps.db, { conversationId, afterSeq: last, limit: 500 });
    const reply = later.find((m) => TEAM.has(m.author_kind));
    if (reply)
      await markReplyPending(deps.db, {
        conversationId,
        workspaceId: reply.workspace_id,
        visitorId: thread.visitor_id,
        at: reply.created_at,
      });
  }
  return 'sent';
}
