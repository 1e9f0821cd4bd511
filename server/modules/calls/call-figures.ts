import type { CallFigures } from '../../../protocol/service.js';
import type { Executor } from '../../platform/db/schema.js';

/**
 * Calls offered in [from, to) and how they went, for the service report: answered (the visitor
 * accepted), declined, missed (never answered, however it stopped), and the minutes spent in the
 * answered ones that have ended.
 */
export async function callFigures(
  db: Executor,
  o: { workspaceId: string; from: string; to: string; conversationIds?: readonly string[] | undefined },
): Promise<CallFigures> {
  let query = db
    .selectFrom('calls')
    .select(['end_reason', 'accepted_at', 'ended_at'])
    .where('workspace_id', '=', o.workspaceId)
    .where('created_at', '>=', o.from)
    .where('created_at', '<', o.to);
  if (o.conversationIds) query = query.where('conversation_id', 'in', o.conversationIds);
  const rows = await query.execute();
  const answered = rows.filter((r) => r.accepted_at !== null);
  const seconds = answered
    .filter((r) => r.ended_at !== null)
    .reduce(
      (sum, r) => sum + (Date.parse(r.ended_at as string) - Date.parse(r.accepted_at as string)) / 1000,
      0,
    );
  return {
    offered: rows.length,
    answered: answered.length,
    declined: rows.filter((r) => r.end_reason === 'declined').length,
    missed: rows.filter((r) => r.accepted_at === null && r.ended_at !== null && r.end_reason !== 'declined')
      .length,
    talkSeconds: Math.round(seconds),
  };
}
