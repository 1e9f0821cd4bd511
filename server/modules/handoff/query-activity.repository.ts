import { randomUUID } from 'node:crypto';
import type { QueryCreator } from 'kysely';
import { issueWrite, prepared } from '../../platform/db/prepared.js';
import type { Database, Executor } from '../../platform/db/schema.js';
import type { QueryEventKind, QueryState } from '../../platform/db/schema-service.js';

/**
 * PostgreSQL: a message's move of its query and the move's event as one statement, a WITH whose
 * UPDATE moves the query only from the state the message moves it from, and whose INSERT records the
 * event only if it did. Nobody reads its result, so it goes out with the message's commit
 * (`issueWrite`) and costs the send no round trip. SQLite cannot UPDATE inside a WITH; there
 * track-query-activity.ts reads the query and moves it in two statements, in the process.
 */
export async function issueQueryMove(
  db: Executor,
  o: { queryId: string; author: 'agent' | 'visitor'; authorId: string; at: string },
): Promise<void> {
  if (o.author === 'agent') await issueWrite(db, agentReplied, o.queryId, o.authorId, o.at, randomUUID());
  else await issueWrite(db, visitorReplied, o.queryId, o.authorId, o.at, randomUUID());
}

/** The assignee's reply: `assigned` → `waiting_on_visitor`; the first one sets `first_response_at`. */
const agentReplied = prepared(4, (db, queryId: string, agentId: string, at: string, eventId: string) =>
  recordMove(
    db.with('moved', (w) =>
      w
        .updateTable('queries')
        .set((eb) => ({
          state: 'waiting_on_visitor',
          first_response_at: eb.fn.coalesce('first_response_at', eb.val(at)),
          updated_at: at,
        }))
        .where('id', '=', queryId)
        .where('state', '=', 'assigned')
        .where('assignee_id', '=', agentId)
        .returning(['id', 'workspace_id']),
    ),
    { eventId, kind: 'waiting_on_visitor', from: 'assigned', to: 'waiting_on_visitor', actorId: agentId, at },
  ),
);

/** The visitor's answer: `waiting_on_visitor` → `assigned`. */
const visitorReplied = prepared(4, (db, queryId: string, visitorId: string, at: string, eventId: string) =>
  recordMove(
    db.with('moved', (w) =>
      w
        .updateTable('queries')
        .set({ state: 'assigned', updated_at: at })
        .where('id', '=', queryId)
        .where('state', '=', 'waiting_on_visitor')
        .returning(['id', 'workspace_id']),
    ),
    { eventId, kind: 'visitor_replied', from: 'waiting_on_visitor', to: 'assigned', actorId: visitorId, at },
  ),
);

/** The event of the move `moved` made: as many rows as it moved, none when it moved nothing. */
function recordMove(
  db: QueryCreator<Database & { moved: { id: string; workspace_id: string } }>,
  e: { eventId: string; kind: QueryEventKind; from: QueryState; to: QueryState; actorId: string; at: string },
) {
  return db
    .insertInto('query_events')
    .columns(['id', 'workspace_id', 'query_id', 'kind', 'from_state', 'to_state', 'actor_id', 'occurred_at'])
    .expression((eb) =>
      eb
        .selectFrom('moved')
        .select([
          eb.val(e.eventId).as('id'),
          'moved.workspace_id',
          'moved.id',
          eb.val(e.kind).as('kind'),
          eb.val(e.from).as('from_state'),
          eb.val(e.to).as('to_state'),
          eb.val(e.actorId).as('actor_id'),
          eb.val(e.at).as('occurred_at'),
        ]),
    );
}
