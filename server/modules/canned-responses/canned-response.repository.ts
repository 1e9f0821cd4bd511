import type { Executor } from '../../platform/db/schema.js';
import type { CannedResponsesTable } from '../../platform/db/schema-service.js';

export function listCannedResponses(db: Executor, workspaceId: string) {
  return db
    .selectFrom('canned_responses')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('shortcut')
    .execute();
}

export async function insertCannedResponse(db: Executor, row: CannedResponsesTable): Promise<void> {
  await db.insertInto('canned_responses').values(row).execute();
}

export async function updateCannedResponse(
  db: Executor,
  workspaceId: string,
  id: string,
  patch: Pick<CannedResponsesTable, 'shortcut' | 'title' | 'body' | 'updated_at'>,
): Promise<boolean> {
  const r = await db
    .updateTable('canned_responses')
    .set(patch)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteCannedResponse(db: Executor, workspaceId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('canned_responses')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
