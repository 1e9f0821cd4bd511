import type { Executor } from '../../platform/db/schema.js';

export function findTeamIdsOf(db: Executor, userId: string): Promise<string[]> {
  return db
    .selectFrom('team_members')
    .select('team_id')
    .where('user_id', '=', userId)
    .execute()
    .then((rows) => rows.map((r) => r.team_id));
}

/** Creates the agent's settings row with the default capacity if it does not exist yet. */
export async function ensureAgentSettings(
  db: Executor,
  row: { userId: string; workspaceId: string; capacity: number },
): Promise<void> {
  await db
    .insertInto('agent_service_settings')
    .values({
      user_id: row.userId,
      workspace_id: row.workspaceId,
      capacity: row.capacity,
      away: 0,
      last_assigned_at: null,
    })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
}

/**
 * Locks the agent's settings row until the transaction ends (PostgreSQL row lock; SQLite takes its
 * write lock): two nodes assigning to one agent are serialized, so capacity holds. Returns the row.
 */
export function lockAgentSettings(db: Executor, userId: string) {
  return db
    .updateTable('agent_service_settings')
    .set((eb) => ({ away: eb.ref('away') }))
    .where('user_id', '=', userId)
    .returning(['capacity', 'away', 'last_assigned_at'])
    .executeTakeFirst();
}

export async function markAssigned(db: Executor, userId: string, at: string): Promise<void> {
  await db
    .updateTable('agent_service_settings')
    .set({ last_assigned_at: at })
    .where('user_id', '=', userId)
    .execute();
}

export async function setAgentAway(db: Executor, userId: string, away: boolean): Promise<void> {
  await db
    .updateTable('agent_service_settings')
    .set({ away: away ? 1 : 0 })
    .where('user_id', '=', userId)
    .execute();
}

export async function setAgentCapacity(db: Executor, userId: string, capacity: number): Promise<void> {
  await db.updateTable('agent_service_settings').set({ capacity }).where('user_id', '=', userId).execute();
}

/** Upserts this node's heartbeat for a connected agent. */
export async function beatPresence(
  db: Executor,
  row: { nodeId: string; userId: string; workspaceId: string; at: string },
): Promise<void> {
  await db
    .insertInto('agent_presence')
    .values({
      id: `${row.nodeId}:${row.userId}`,
      node_id: row.nodeId,
      user_id: row.userId,
      workspace_id: row.workspaceId,
      seen_at: row.at,
    })
    .onConflict((oc) => oc.column('id').doUpdateSet({ seen_at: row.at }))
    .execute();
}

export async function dropPresence(db: Executor, nodeId: string, userId: string): Promise<void> {
  await db.deleteFrom('agent_presence').where('id', '=', `${nodeId}:${userId}`).execute();
}

/** Every active member of the workspace with what assignment needs to know about them. */
export function listServiceAgents(db: Executor, workspaceId: string, freshSince: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .leftJoin('agent_service_settings as s', 's.user_id', 'memberships.user_id')
    .select((eb) => [
      'users.id as id',
      'users.name as name',
      'memberships.role as role',
      's.capacity as capacity',
      's.away as away',
      's.last_assigned_at as last_assigned_at',
      eb
        .exists(
          eb
            .selectFrom('agent_presence')
            .select('agent_presence.id')
            .whereRef('agent_presence.user_id', '=', 'users.id')
            .where('agent_presence.seen_at', '>=', freshSince),
        )
        .as('connected'),
      eb
        .selectFrom('queries')
        .select((q) => q.fn.countAll<number>().as('n'))
        .whereRef('queries.assignee_id', '=', 'users.id')
        .where('queries.state', 'in', ['assigned', 'waiting_on_visitor'])
        .as('held'),
    ])
    .where('memberships.workspace_id', '=', workspaceId)
    .where('users.disabled_at', 'is', null)
    .orderBy('users.name')
    .execute();
}

export function listTeamMemberships(db: Executor, workspaceId: string) {
  return db
    .selectFrom('team_members')
    .select(['team_id', 'user_id'])
    .where('workspace_id', '=', workspaceId)
    .execute();
}

export function findActiveMember(db: Executor, workspaceId: string, userId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id as id', 'memberships.role as role'])
    .where('memberships.workspace_id', '=', workspaceId)
    .where('memberships.user_id', '=', userId)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}

export async function findAgentAway(db: Executor, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('agent_service_settings')
    .select('away')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(row?.away ?? 0) === 1;
}
