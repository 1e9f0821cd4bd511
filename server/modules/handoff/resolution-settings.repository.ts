import type { Executor } from '../../platform/db/schema.js';

export async function findResolutionSettings(db: Executor, workspaceId: string) {
  return db
    .selectFrom('resolution_settings')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

/** Creates the workspace's settings row once; true when this call created it. */
export async function insertResolutionSettingsOnce(
  db: Executor,
  workspaceId: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .insertInto('resolution_settings')
    .values({ workspace_id: workspaceId, code_required: 0, updated_at: at })
    .onConflict((oc) => oc.column('workspace_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function setCodeRequired(
  db: Executor,
  workspaceId: string,
  required: boolean,
  at: string,
): Promise<void> {
  await db
    .updateTable('resolution_settings')
    .set({ code_required: required ? 1 : 0, updated_at: at })
    .where('workspace_id', '=', workspaceId)
    .execute();
}
