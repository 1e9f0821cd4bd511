import { SqliteAdapter } from 'kysely';
import type { Role } from '../../../protocol/common.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/schema.js';
import type { QueryEventKind } from '../../platform/db/schema-service.js';
import { emit } from '../../platform/metrics/signals.js';
import { ensureAgentSettings, lockAgentSettings, markAssigned } from './agent.repository.js';
import { findQuery, insertQueryEvent, moveQuery, OPEN_STATES } from './query.repository.js';
import { defaultCapacity } from './service-defaults.js';

export type AssignOutcome = 'assigned' | 'taken' | 'at_capacity';

/**
 * Gives a query to an agent with one conditional UPDATE: it applies only if the query is still where
 * the caller saw it (`from`, and for a transfer still held by `fromAssignee`) and, with
 * `enforceCapacity`, only while the agent holds fewer queries than their capacity. Two nodes racing
 * for one query therefore assign it exactly once. On PostgreSQL the agent's settings row is locked
 * first, so concurrent assignments of different queries to one agent are serialized and the
 * capacity count is never read stale; on SQLite the transaction takes the database's write lock
 * first (`BEGIN IMMEDIATE`), which serializes assignments the same way. The query's move and its
 * `query_events` row commit together on both dialects.
 */
export async function assignQuery(options: {
  db: Db;
  workspaceId: string;
  queryId: string;
  userId: string;
  role: Role;
  actorId: string | null;
  /** 'pick' and 'auto' take only queued queries; 'transfer' moves an open one. */
  mode: 'auto' | 'pick' | 'transfer';
  /** For a transfer by its assignee: only while they still hold it. */
  fromAssignee?: string;
  enforceCapacity: boolean;
}): Promise<AssignOutcome> {
  const { db, userId, workspaceId } = options;
  const query = await findQuery(db, workspaceId, options.queryId);
  if (!query) throw new AppError('query_not_found');
  if (!OPEN_STATES.includes(query.state)) throw new AppError('query_closed');
  const from = options.mode === 'transfer' ? OPEN_STATES : (['queued'] as const);

  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const run = async (ex: Executor): Promise<AssignOutcome> => {
    await ensureAgentSettings(ex, { userId, workspaceId, capacity: defaultCapacity(options.role) });
    if (!sqlite && !(await lockAgentSettings(ex, userId))) return 'at_capacity';
    const at = nowIso();
    const moved = await moveQuery(ex, {
      id: query.id,
      from,
      ...(options.fromAssignee !== undefined ? { fromAssignee: options.fromAssignee } : {}),
      ...(options.enforceCapacity ? { belowCapacityOf: userId } : {}),
      set: {
        state: 'assigned',
        assignee_id: userId,
        first_assigned_at: query.first_assigned_at ?? at,
        updated_at: at,
      },
    });
    if (!moved) {
      const now = await findQuery(ex, workspaceId, query.id);
      const stillThere = now && from.includes(now.state) && now.assignee_id === query.assignee_id;
      return stillThere && options.enforceCapacity ? 'at_capacity' : 'taken';
    }
    await markAssigned(ex, userId, at);
    const kind: QueryEventKind = options.mode === 'transfer' ? 'transferred' : 'assigned';
    await insertQueryEvent(ex, {
      workspace_id: workspaceId,
      query_id: query.id,
      kind,
      from_state: query.state,
      to_state: 'assigned',
      actor_id: options.actorId,
      assignee_id: userId,
      team_id: query.team_id,
      occurred_at: at,
    });
    return 'assigned';
  };
  // One transaction on both dialects: the assignment and its event are stored together or not at all
  // (on SQLite a savepoint of the group commit, which takes the write lock without blocking the thread).
  const outcome = await db.transaction().execute(run);
  if (outcome === 'assigned') {
    const first = query.first_assigned_at === null;
    const waitSeconds = first ? (Date.now() - Date.parse(query.created_at)) / 1000 : null;
    emit('handoff.assigned', { mode: options.mode, waitSeconds });
  }
  return outcome;
}
