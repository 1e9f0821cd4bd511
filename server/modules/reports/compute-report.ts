import type { ServiceReport } from '../../../protocol/service.js';
import type { Executor } from '../../platform/db/schema.js';
import { callFigures } from '../calls/call-figures.js';

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;
const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);
/** An id no conversation has: an empty label's report counts nothing. */
const NONE = '00000000-0000-0000-0000-000000000000';

/**
 * Service figures for conversations and queries created in [from, to), from the recorded transition
 * times only:
 * - bot containment: of the conversations where the visitor wrote, the share never handed to a person;
 * - first response: query created → the assignee's first reply (median);
 * - handle time: first assignment → resolution (median, resolved queries);
 * - resolution rate: resolved / (resolved + abandoned).
 */
export async function computeReport(options: {
  db: Executor;
  workspaceId: string;
  from: string;
  to: string;
  /** Only these conversations (the report of one label). */
  conversationIds?: readonly string[];
}): Promise<ServiceReport> {
  const { db, workspaceId, from, to } = options;
  const only = options.conversationIds;
  if (only && only.length === 0) return computeReport({ ...options, conversationIds: [NONE] });
  let conversationQuery = db
    .selectFrom('conversations')
    .select((eb) => [
      'conversations.id',
      eb
        .exists(
          eb
            .selectFrom('messages')
            .select('messages.id')
            .whereRef('messages.conversation_id', '=', 'conversations.id')
            .where('messages.author_kind', '=', 'visitor'),
        )
        .as('engaged'),
      eb
        .exists(
          eb
            .selectFrom('queries')
            .select('queries.id')
            .whereRef('queries.conversation_id', '=', 'conversations.id'),
        )
        .as('handed_off'),
    ])
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to);
  if (only) conversationQuery = conversationQuery.where('conversations.id', 'in', only);
  const conversations = await conversationQuery.execute();
  const engaged = conversations.filter((c) => Boolean(Number(c.engaged)));
  const handedOff = conversations.filter((c) => Boolean(Number(c.handed_off)));
  const contained = engaged.filter((c) => !Number(c.handed_off)).length;

  let queryQuery = db
    .selectFrom('queries')
    .select(['state', 'created_at', 'first_assigned_at', 'first_response_at', 'closed_at', 'rating'])
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to);
  if (only) queryQuery = queryQuery.where('conversation_id', 'in', only);
  const queries = await queryQuery.execute();
  const resolved = queries.filter((q) => q.state === 'resolved');
  const abandoned = queries.filter((q) => q.state === 'abandoned').length;
  const ratings = queries.map((q) => q.rating).filter((r): r is number => r !== null);
  const calls = await callFigures(db, { workspaceId, from, to, conversationIds: only });
  return {
    conversations: conversations.length,
    handedOff: handedOff.length,
    botContainmentRate: ratio(contained, engaged.length),
    queries: queries.length,
    resolved: resolved.length,
    abandoned,
    resolutionRate: ratio(resolved.length, resolved.length + abandoned),
    medianFirstResponseSeconds: median(
      queries
        .filter((q) => q.first_response_at)
        .map((q) => seconds(q.created_at, q.first_response_at as string)),
    ),
    medianHandleSeconds: median(
      resolved
        .filter((q) => q.first_assigned_at && q.closed_at)
        .map((q) => seconds(q.first_assigned_at as string, q.closed_at as string)),
    ),
    averageRating: ratings.length ? ratings.reduce((a, b) => a + Number(b), 0) / ratings.length : null,
    ratings: ratings.length,
    ...(calls.offered > 0 ? { calls } : {}),
  };
}
