import type { RetentionBody, RetentionSettings } from '../../../protocol/data-protection.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { requireWidget } from '../widgets/lookups.js';
import { upsertRetentionRow } from './retention.repository.js';
import { assertRetentionValid, presentRetention } from './retention-policy.js';

/** Saves a widget's retention rules. The scheduler applies them at its next run. */
export async function updateRetentionSettings(options: {
  db: Db;
  workspaceId: string;
  widgetId: string;
  body: RetentionBody;
}): Promise<RetentionSettings> {
  const { db, workspaceId, widgetId, body } = options;
  await requireWidget(db, workspaceId, widgetId);
  assertRetentionValid(widgetId, body);
  const at = nowIso();
  await upsertRetentionRow(db, {
    widget_id: widgetId,
    workspace_id: workspaceId,
    visitor_data_ttl_seconds: body.visitorDataTtlSeconds,
    history_hours: body.historyHours,
    inactivity_days: body.inactivityDays,
    archive_inactive: body.archiveInactive ? 1 : 0,
    storage_off: body.storageOff ? 1 : 0,
    updated_at: at,
  });
  return presentRetention(widgetId, body, at);
}
