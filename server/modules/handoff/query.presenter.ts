import type { Query } from '../../../protocol/service.js';
import type { QueriesTable, QueryEventsTable } from '../../platform/db/schema-service.js';
import type { VisitorKey } from '../encryption/visitor-key.js';

/** Opens the sealed fields with the visitor's key (null when the visitor was erased meanwhile). */
export function presentQuery(row: QueriesTable, key: VisitorKey | null, events?: QueryEventsTable[]): Query {
  const open = (column: 'page_url' | 'referrer' | 'resolution_note' | 'rating_comment') =>
    key ? key.openNullable('queries', column, row.id, row[column]) : null;
  return {
    id: row.id,
    conversationId: row.conversation_id,
    widgetId: row.widget_id,
    teamId: row.team_id,
    state: row.state,
    assigneeId: row.assignee_id,
    origin: { trigger: row.trigger, pageUrl: open('page_url'), referrer: open('referrer') },
    resolution: row.resolution_code ? { code: row.resolution_code, note: open('resolution_note') } : null,
    rating:
      row.rating !== null && row.rated_at
        ? { score: row.rating, comment: open('rating_comment'), at: row.rated_at }
        : null,
    createdAt: row.created_at,
    firstAssignedAt: row.first_assigned_at,
    firstResponseAt: row.first_response_at,
    closedAt: row.closed_at,
    ...(events
      ? {
          events: events.map((e) => ({
            kind: e.kind,
            fromState: e.from_state,
            toState: e.to_state,
            actorId: e.actor_id,
            assigneeId: e.assignee_id,
            teamId: e.team_id,
            at: e.occurred_at,
          })),
        }
      : {}),
  };
}
