import type { Executor } from '../../platform/db/schema.js';

export function findVisitorInWorkspace(db: Executor, workspaceId: string, visitorId: string) {
  return db
    .selectFrom('visitors')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', visitorId)
    .executeTakeFirst();
}

export function findVisitorOfUserInWorkspace(
  db: Executor,
  workspaceId: string,
  widgetId: string,
  externalUserId: string,
) {
  return db
    .selectFrom('visitors')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('widget_id', '=', widgetId)
    .where('external_user_id', '=', externalUserId)
    .executeTakeFirst();
}
