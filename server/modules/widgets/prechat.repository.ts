import type { Executor } from '../../platform/db/schema.js';
import type { WidgetPrechatTable } from '../../platform/db/schema-branding.js';

export function findPrechat(db: Executor, widgetId: string) {
  return db.selectFrom('widget_prechat').selectAll().where('widget_id', '=', widgetId).executeTakeFirst();
}

export async function upsertPrechat(db: Executor, row: WidgetPrechatTable): Promise<void> {
  const { widget_id: _id, workspace_id: _ws, ...settings } = row;
  await db
    .insertInto('widget_prechat')
    .values(row)
    .onConflict((oc) => oc.column('widget_id').doUpdateSet(settings))
    .execute();
}

/** The visitor already wrote in this conversation (a resumed one): the form is not asked again. */
export async function hasVisitorMessage(db: Executor, conversationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('messages')
    .select('seq')
    .where('conversation_id', '=', conversationId)
    .where('author_kind', '=', 'visitor')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
