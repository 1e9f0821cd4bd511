import type { Executor } from '../../platform/db/schema.js';

/** Revokes every live visitor credential of the workspace and deletes its unused tickets. */
export async function revokeWorkspaceCredentials(
  db: Executor,
  workspaceId: string,
  at: string,
): Promise<{ credentials: number; tickets: number }> {
  const revoked = await db
    .updateTable('visitor_credentials')
    .set({ revoked_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  const deleted = await db
    .deleteFrom('ws_tickets')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return { credentials: Number(revoked.numUpdatedRows), tickets: Number(deleted.numDeletedRows) };
}
