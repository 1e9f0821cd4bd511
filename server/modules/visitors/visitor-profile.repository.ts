import type { Executor } from '../../platform/db/schema.js';
import type { VisitorProfilesTable } from '../../platform/db/schema-data-protection.js';

export function findProfile(db: Executor, visitorId: string) {
  return db.selectFrom('visitor_profiles').selectAll().where('visitor_id', '=', visitorId).executeTakeFirst();
}

export async function upsertProfile(db: Executor, row: VisitorProfilesTable): Promise<void> {
  const { visitor_id: _v, workspace_id: _w, widget_id: _g, ...changes } = row;
  await db
    .insertInto('visitor_profiles')
    .values(row)
    .onConflict((oc) => oc.column('visitor_id').doUpdateSet(changes))
    .execute();
}

export function findVisitorIdsByEmailIndex(db: Executor, workspaceId: string, emailIndex: string) {
  return db
    .selectFrom('visitor_profiles')
    .select('visitor_id')
    .where('workspace_id', '=', workspaceId)
    .where('email_index', '=', emailIndex)
    .orderBy('visitor_id')
    .limit(50)
    .execute();
}

export function findVisitorInWorkspace(db: Executor, workspaceId: string, visitorId: string) {
  return db
    .selectFrom('visitors')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', visitorId)
    .executeTakeFirst();
}
