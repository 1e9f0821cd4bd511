import type { TimelineEvent } from '../../../protocol/lifecycle.js';
import type { Db } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';
import { listHandoffEventsOfConversation } from './query.repository.js';

/** The handoff's events a transcript shows; the rest (replies moving a query) would be noise. */
const SHOWN = new Set(['queued', 'assigned', 'transferred', 'abandoned', 'rated']);

/**
 * A conversation's handoff as system events for its transcript: queued, assigned, transferred,
 * abandoned and rated (stars and the visitor's comment, opened with the visitor's key). The
 * resolution is the conversation's own event (conversation_events), not repeated here. The caller
 * has checked the reader's scope and masks the comment for roles without personal data.
 */
export async function listHandoffTimeline(
  db: Db,
  vault: Vault,
  conversationId: string,
): Promise<TimelineEvent[]> {
  const rows = await listHandoffEventsOfConversation(db, conversationId);
  if (rows.length === 0) return [];
  const key = rows.some((r) => r.kind === 'rated') ? await vault.forConversation(db, conversationId) : null;
  const out: TimelineEvent[] = [];
  for (const r of rows) {
    if (!SHOWN.has(r.kind)) continue;
    const base = {
      at: r.occurred_at,
      actor: r.actor_id ? { kind: 'agent' as const, id: r.actor_id } : { kind: 'system' as const, id: null },
    };
    if (r.kind === 'rated') {
      out.push({
        ...base,
        kind: 'rated',
        actor: { kind: 'visitor', id: null },
        ...(r.rating !== null ? { rating: r.rating } : {}),
        comment: key ? key.openNullable('queries', 'rating_comment', r.query_id, r.rating_comment) : null,
      });
      continue;
    }
    out.push({
      ...base,
      kind: r.kind as TimelineEvent['kind'],
      assigneeId: r.assignee_id,
      teamId: r.team_id,
    });
  }
  return out;
}
