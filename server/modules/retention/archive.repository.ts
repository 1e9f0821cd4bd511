import type { Executor } from '../../platform/db/schema.js';
import type { ConversationArchivesTable } from '../../platform/db/schema-data-protection.js';

export async function insertArchive(db: Executor, row: ConversationArchivesTable): Promise<void> {
  await db.insertInto('conversation_archives').values(row).execute();
}

export function findArchive(db: Executor, workspaceId: string, id: string) {
  return db
    .selectFrom('conversation_archives')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listArchiveRows(
  db: Executor,
  options: { workspaceId: string; widgetId?: string; before?: string; limit: number },
) {
  let q = db
    .selectFrom('conversation_archives')
    .select([
      'id',
      'workspace_id',
      'widget_id',
      'visitor_id',
      'conversation_id',
      'message_count',
      'first_message_at',
      'last_message_at',
      'archived_at',
    ])
    .where('workspace_id', '=', options.workspaceId);
  if (options.widgetId) q = q.where('widget_id', '=', options.widgetId);
  if (options.before) q = q.where('archived_at', '<', options.before);
  return q.orderBy('archived_at', 'desc').orderBy('id').limit(options.limit).execute();
}

export function listArchivesOfVisitor(db: Executor, visitorId: string) {
  return db
    .selectFrom('conversation_archives')
    .selectAll()
    .where('visitor_id', '=', visitorId)
    .orderBy('archived_at')
    .execute();
}

/** The archives of a visitor that hold a copy of their visitor data. */
export function listArchivesWithProfileOfVisitor(db: Executor, visitorId: string) {
  return db
    .selectFrom('conversation_archives')
    .selectAll()
    .where('visitor_id', '=', visitorId)
    .where('profile_collected_at', 'is not', null)
    .orderBy('id')
    .execute();
}

export async function replaceArchivePayload(
  db: Executor,
  id: string,
  changes: Pick<
    ConversationArchivesTable,
    | 'payload'
    | 'message_count'
    | 'first_message_at'
    | 'last_message_at'
    | 'profile_expires_at'
    | 'profile_collected_at'
  >,
): Promise<void> {
  await db.updateTable('conversation_archives').set(changes).where('id', '=', id).execute();
}

export async function deleteArchives(db: Executor, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.deleteFrom('conversation_archives').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteArchivesOfVisitor(db: Executor, visitorId: string): Promise<void> {
  await db.deleteFrom('conversation_archives').where('visitor_id', '=', visitorId).execute();
}
