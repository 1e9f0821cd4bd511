import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import { advanceSecurityAlertRead } from './security-alert.repository.js';

/**
 * An administrator was shown the alerts up to `through` (the newest one's raisedAt): those stop
 * counting as unread for them. A position only moves forward, so an older screen cannot undo it.
 */
export async function markAlertsSeen(options: {
  db: Db;
  workspaceId: string;
  userId: string;
  through: string;
}): Promise<void> {
  const at = Date.parse(options.through);
  if (Number.isNaN(at))
    throw new AppError('invalid_request', { message: '"through" must be the time of an alert (ISO 8601).' });
  await advanceSecurityAlertRead(options.db, {
    userId: options.userId,
    workspaceId: options.workspaceId,
    through: new Date(at).toISOString(),
  });
}
