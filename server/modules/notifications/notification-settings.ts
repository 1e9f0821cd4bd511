import type { NotificationSettings } from '../../../protocol/receipts.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { findNotificationSettings, upsertNotificationSettings } from './notification-settings.repository.js';

/** Both on until the agent says otherwise: a new team should hear its visitors. */
export async function getNotificationSettings(db: Db, userId: string): Promise<NotificationSettings> {
  const row = await findNotificationSettings(db, userId);
  return { sound: row ? row.sound === 1 : true, desktop: row ? row.desktop === 1 : true };
}

export async function setNotificationSettings(
  db: Db,
  agent: { userId: string; workspaceId: string },
  settings: NotificationSettings,
): Promise<NotificationSettings> {
  await upsertNotificationSettings(db, {
    user_id: agent.userId,
    workspace_id: agent.workspaceId,
    sound: settings.sound ? 1 : 0,
    desktop: settings.desktop ? 1 : 0,
    updated_at: nowIso(),
  });
  return settings;
}
