import type { Executor } from '../../platform/db/schema.js';
import type { TeamsTable } from '../../platform/db/schema-service.js';

export function listTeams(db: Executor, workspaceId: string) {
  return db.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').execute();
}

export function findTeam(db: Executor, workspaceId: string, id: string) {
  return db
    .selectFrom('teams')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertTeam(db: Executor, row: TeamsTable): Promise<void> {
  await db.insertInto('teams').values(row).execute();
}

export async function replaceTeamMembers(
  db: Executor,
  team: { id: string; workspaceId: string },
  userIds: readonly string[],
  at: string,
): Promise<void> {
  await db.deleteFrom('team_members').where('team_id', '=', team.id).execute();
  if (userIds.length > 0)
    await db
      .insertInto('team_members')
      .values(
        userIds.map((u) => ({
          team_id: team.id,
          user_id: u,
          workspace_id: team.workspaceId,
          created_at: at,
        })),
      )
      .execute();
}

/** Members of the workspace among these ids (team members must be the workspace's own users). */
export async function filterMembers(
  db: Executor,
  workspaceId: string,
  userIds: readonly string[],
): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', 'in', userIds)
    .execute();
  return rows.map((r) => r.user_id);
}

export async function renameTeam(
  db: Executor,
  workspaceId: string,
  id: string,
  name: string,
): Promise<boolean> {
  const r = await db
    .updateTable('teams')
    .set({ name })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteTeam(db: Executor, workspaceId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('teams')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function findMembersOfTeam(db: Executor, teamId: string): Promise<string[]> {
  const rows = await db.selectFrom('team_members').select('user_id').where('team_id', '=', teamId).execute();
  return rows.map((r) => r.user_id);
}
