import type { Executor } from '../../platform/db/schema.js';

/** Revokes every session of the workspace that is not yet revoked; returns their ids. */
export async function revokeWorkspaceSessions(
  db: Executor,
  workspaceId: string,
  at: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('sessions')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('revoked_at', 'is', null)
    .execute();
  if (rows.length === 0) return [];
  await db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('revoked_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}
