import { randomUUID } from 'node:crypto';
import type { Executor } from '../../platform/db/schema.js';
import type { QueriesTable, QueryEventsTable, QueryState } from '../../platform/db/schema-service.js';
import { type Scope, type ScopeColumns, scopeWhere } from './scope.js';

/** A query row read on its own: its state, assignee and team are the facts the policy looks at. */
const QUERY_SCOPE_COLUMNS: ScopeColumns = {
  workspace: 'queries.workspace_id',
  visitor: null,
  queryState: 'queries.state',
  assignee: 'queries.assignee_id',
  team: 'queries.team_id',
};

/** States in which a query occupies its assignee (counts against their capacity). */
export const HELD_STATES: readonly QueryState[] = ['assigned', 'waiting_on_visitor'];
export const OPEN_STATES: readonly QueryState[] = ['queued', 'assigned', 'waiting_on_visitor'];

export async function insertQuery(db: Executor, row: QueriesTable): Promise<void> {
  await db.insertInto('queries').values(row).execute();
}

export async function insertQueryEvent(
  db: Executor,
  row: Omit<QueryEventsTable, 'id' | 'from_state' | 'to_state' | 'actor_id' | 'assignee_id' | 'team_id'> &
    Partial<Pick<QueryEventsTable, 'from_state' | 'to_state' | 'actor_id' | 'assignee_id' | 'team_id'>>,
): Promise<void> {
  await db
    .insertInto('query_events')
    .values({
      id: randomUUID(),
      from_state: null,
      to_state: null,
      actor_id: null,
      assignee_id: null,
      team_id: null,
      ...row,
    })
    .execute();
}

export function findQuery(db: Executor, workspaceId: string, id: string) {
  return db
    .selectFrom('queries')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findOpenQueryOfConversation(db: Executor, conversationId: string) {
  return db
    .selectFrom('queries')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('state', 'in', OPEN_STATES)
    .executeTakeFirst();
}

export function listQueryEvents(db: Executor, queryId: string) {
  return db
    .selectFrom('query_events')
    .selectAll()
    .where('query_id', '=', queryId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}

/**
 * The one write that moves a query between states: it only applies if the query is still in one of
 * `from` (and, with `assigneeId`, still held by that agent). Whoever loses a race updates nothing.
 */
export async function moveQuery(
  db: Executor,
  options: {
    id: string;
    from: readonly QueryState[];
    fromAssignee?: string | null;
    set: Partial<Omit<QueriesTable, 'id' | 'workspace_id' | 'conversation_id'>>;
    /** Only while this agent holds fewer queries than their capacity, checked in the same statement. */
    belowCapacityOf?: string;
  },
): Promise<boolean> {
  let q = db
    .updateTable('queries')
    .set(options.set)
    .where('id', '=', options.id)
    .where('state', 'in', options.from);
  const agent = options.belowCapacityOf;
  if (agent !== undefined)
    q = q.where((eb) =>
      eb(
        eb
          .selectFrom('queries as held')
          .select((h) => h.fn.countAll().as('n'))
          .where('held.assignee_id', '=', agent)
          .where('held.state', 'in', HELD_STATES),
        '<',
        eb.selectFrom('agent_service_settings').select('capacity').where('user_id', '=', agent),
      ),
    );
  if (options.fromAssignee !== undefined)
    q =
      options.fromAssignee === null
        ? q.where('assignee_id', 'is', null)
        : q.where('assignee_id', '=', options.fromAssignee);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function countHeld(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('queries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('assignee_id', '=', userId)
    .where('state', 'in', HELD_STATES)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function listQueuedQueries(db: Executor, workspaceId: string, limit: number) {
  return db
    .selectFrom('queries')
    .select(['id', 'team_id', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('state', '=', 'queued')
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export function listQueries(
  db: Executor,
  options: {
    workspaceId: string;
    view: 'queue' | 'mine' | 'all';
    userId: string;
    /** The reader's scope (handoff/scope.ts), applied to each query as to its conversation. */
    scope: Scope;
    limit: number;
  },
) {
  let q = db.selectFrom('queries').selectAll().where('workspace_id', '=', options.workspaceId);
  if (options.view === 'queue') q = q.where('state', '=', 'queued');
  if (options.view === 'mine')
    q = q.where('assignee_id', '=', options.userId).where('state', 'in', HELD_STATES);
  q = q.where(scopeWhere(options.scope, QUERY_SCOPE_COLUMNS));
  return q.orderBy('created_at', 'desc').orderBy('id').limit(options.limit).execute();
}

/**
 * Open queries of a team that is being deleted go to everyone's queue (their history keeps the team).
 * Returns the conversations whose query changed, so their inboxes can be told.
 */
export async function releaseOpenQueriesOfTeam(
  db: Executor,
  workspaceId: string,
  teamId: string,
  at: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('queries')
    .select('conversation_id')
    .where('workspace_id', '=', workspaceId)
    .where('team_id', '=', teamId)
    .where('state', 'in', OPEN_STATES)
    .execute();
  if (rows.length === 0) return [];
  await db
    .updateTable('queries')
    .set({ team_id: null, updated_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('team_id', '=', teamId)
    .where('state', 'in', OPEN_STATES)
    .execute();
  return rows.map((r) => r.conversation_id);
}

/** Every query event of a conversation, with its query's rating, oldest first (the transcript). */
export function listHandoffEventsOfConversation(db: Executor, conversationId: string) {
  return db
    .selectFrom('query_events')
    .innerJoin('queries', 'queries.id', 'query_events.query_id')
    .select([
      'query_events.id',
      'query_events.query_id',
      'query_events.kind',
      'query_events.actor_id',
      'query_events.assignee_id',
      'query_events.team_id',
      'query_events.occurred_at',
      'queries.rating',
      'queries.rating_comment',
    ])
    .where('queries.conversation_id', '=', conversationId)
    .orderBy('query_events.occurred_at')
    .orderBy('query_events.id')
    .execute();
}
