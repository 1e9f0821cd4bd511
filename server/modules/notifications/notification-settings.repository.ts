import type { Executor } from '../../platform/db/schema.js';

export function findNotificationSettings(db: Executor, userId: string) {
  return db
    .selectFrom('notification_settings')
    .select(['sound', 'desktop'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function upsertNotificationSettings(
  db: Executor,
  row: { user_id: string; workspace_id: string; sound: number; desktop: number; updated_at: string },
): Promise<void> {
  await db
    .insertInto('notification_settings')
    .values(row)
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        workspace_id: row.workspace_id,
        sound: row.sound,
        desktop: row.desktop,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}
