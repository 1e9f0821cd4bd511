import type { Executor, WidgetsTable } from '../../platform/db/schema.js';

export async function insertWidget(db: Executor, row: WidgetsTable): Promise<void> {
  await db.insertInto('widgets').values(row).execute();
}

/** By id alone: used by the public visitor endpoints, which learn the workspace from the widget. */
export function findWidgetById(db: Executor, id: string) {
  return db.selectFrom('widgets').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findWidgetInWorkspace(db: Executor, workspaceId: string, id: string) {
  return db
    .selectFrom('widgets')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listWidgetsInWorkspace(db: Executor, workspaceId: string) {
  return db
    .selectFrom('widgets')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .execute();
}

export async function updateWidgetRow(
  db: Executor,
  workspaceId: string,
  id: string,
  changes: Partial<
    Pick<
      WidgetsTable,
      | 'name'
      | 'greeting'
      | 'bot_name'
      | 'allowed_origins'
      | 'require_identity'
      | 'allow_insecure_origins'
      | 'calls_enabled'
      | 'identity_secret'
      | 'default_language'
      | 'always_default_language'
      | 'greeting_translations'
      | 'updated_at'
    >
  >,
): Promise<void> {
  await db
    .updateTable('widgets')
    .set(changes)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function setWidgetTeam(
  db: Executor,
  workspaceId: string,
  widgetId: string,
  teamId: string | null,
): Promise<boolean> {
  const r = await db
    .updateTable('widgets')
    .set({ team_id: teamId })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', widgetId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Widgets whose handoffs went to this team queue for anyone instead. */
export async function unrouteWidgetsOfTeam(db: Executor, workspaceId: string, teamId: string): Promise<void> {
  await db
    .updateTable('widgets')
    .set({ team_id: null })
    .where('workspace_id', '=', workspaceId)
    .where('team_id', '=', teamId)
    .execute();
}
