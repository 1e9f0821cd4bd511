import { dialectOf } from '../../platform/db/dialect.js';
import { prepared } from '../../platform/db/prepared.js';
import type { Executor, MessagesTable } from '../../platform/db/schema.js';
import type { MessageStream } from '../conversations/message-stream.js';
import { insertQueryEvent, moveQuery } from './query.repository.js';
import { issueQueryMove } from './query-activity.repository.js';

/**
 * Keeps a query's state in step with the conversation: the assignee's reply puts it in
 * `waiting_on_visitor` (the first one also sets `first_response_at`), the visitor's answer brings it back
 * to `assigned`. Each move is conditional, so a repeat or a race records it once. On PostgreSQL the
 * move and its event are one statement that goes out with the message's commit
 * (query-activity.repository.ts); on SQLite the query is read, then moved.
 */
const queryState = prepared(1, (db, queryId: string) =>
  db
    .selectFrom('queries')
    .select(['id', 'state', 'assignee_id', 'first_response_at', 'workspace_id'])
    .where('id', '=', queryId),
);

export async function trackQueryActivity(
  db: Executor,
  message: MessagesTable,
  /** The conversation's current query, as the send read it under the row lock. */
  queryId: string | null,
): Promise<void> {
  if (message.author_kind !== 'agent' && message.author_kind !== 'visitor') return;
  if (!queryId) return;
  if (dialectOf(db) === 'postgres') {
    const author = message.author_kind;
    return issueQueryMove(db, { queryId, author, authorId: message.author_id, at: message.created_at });
  }
  const query = (await queryState(db, queryId)).rows[0];
  if (!query) return;
  const at = message.created_at;
  const event = {
    workspace_id: query.workspace_id,
    query_id: query.id,
    occurred_at: at,
    actor_id: message.author_id,
  };
  if (
    message.author_kind === 'agent' &&
    query.state === 'assigned' &&
    query.assignee_id === message.author_id
  ) {
    const moved = await moveQuery(db, {
      id: query.id,
      from: ['assigned'],
      fromAssignee: message.author_id,
      set: { state: 'waiting_on_visitor', first_response_at: query.first_response_at ?? at, updated_at: at },
    });
    if (!moved) return;
    await insertQueryEvent(db, {
      ...event,
      kind: 'waiting_on_visitor',
      from_state: 'assigned',
      to_state: 'waiting_on_visitor',
    });
    return;
  }
  if (message.author_kind === 'visitor' && query.state === 'waiting_on_visitor') {
    const moved = await moveQuery(db, {
      id: query.id,
      from: ['waiting_on_visitor'],
      set: { state: 'assigned', updated_at: at },
    });
    if (moved)
      await insertQueryEvent(db, {
        ...event,
        kind: 'visitor_replied',
        from_state: 'waiting_on_visitor',
        to_state: 'assigned',
      });
  }
}

/** The handoff query moves with the message, in its commit: an in-transaction subscriber. */
export function registerQueryTracking(stream: MessageStream): void {
  stream.onStore((trx, { message, conversation }) => trackQueryActivity(trx, message, conversation.query_id));
}
