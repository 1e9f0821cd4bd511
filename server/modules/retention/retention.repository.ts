import type { Executor } from '../../platform/db/schema.js';
import type { RetentionRunsTable, WidgetRetentionTable } from '../../platform/db/schema-data-protection.js';

export function findRetentionRow(db: Executor, widgetId: string) {
  return db.selectFrom('widget_retention').selectAll().where('widget_id', '=', widgetId).executeTakeFirst();
}

export async function upsertRetentionRow(db: Executor, row: WidgetRetentionTable): Promise<void> {
  const { widget_id: _id, workspace_id: _ws, ...changes } = row;
  await db
    .insertInto('widget_retention')
    .values(row)
    .onConflict((oc) => oc.column('widget_id').doUpdateSet(changes))
    .execute();
}

/** Every widget with its retention row, if it has one (a widget without one follows the defaults). */
export function listWidgetsForRetention(db: Executor) {
  return db
    .selectFrom('widgets')
    .leftJoin('widget_retention', 'widget_retention.widget_id', 'widgets.id')
    .select([
      'widgets.id as widget_id',
      'widgets.workspace_id',
      'widget_retention.visitor_data_ttl_seconds',
      'widget_retention.history_hours',
      'widget_retention.inactivity_days',
      'widget_retention.archive_inactive',
      'widget_retention.storage_off',
      'widget_retention.updated_at',
    ])
    .orderBy('widgets.id')
    .execute();
}

export async function insertRetentionRun(db: Executor, row: RetentionRunsTable): Promise<void> {
  await db.insertInto('retention_runs').values(row).execute();
}

export function listRetentionRuns(db: Executor, workspaceId: string, limit: number) {
  return db
    .selectFrom('retention_runs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function deleteRetentionRunsBefore(db: Executor, before: string): Promise<number> {
  const result = await db.deleteFrom('retention_runs').where('started_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
