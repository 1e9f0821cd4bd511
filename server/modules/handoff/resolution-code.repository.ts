import type { Executor } from '../../platform/db/schema.js';
import type { ResolutionCodesTable } from '../../platform/db/schema-service.js';

export function findResolutionCode(db: Executor, workspaceId: string, code: string) {
  return db
    .selectFrom('resolution_codes')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('code', '=', code)
    .executeTakeFirst();
}

export function listResolutionCodes(db: Executor, workspaceId: string) {
  return db
    .selectFrom('resolution_codes')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('code')
    .execute();
}

export async function insertResolutionCode(db: Executor, row: ResolutionCodesTable): Promise<void> {
  await db.insertInto('resolution_codes').values(row).execute();
}

export async function deleteResolutionCode(db: Executor, workspaceId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('resolution_codes')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
