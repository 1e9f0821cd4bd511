import type { WidgetPatch } from '../../../protocol/api.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { normalizeOrigins } from './normalize-origins.js';
import { findWidgetInWorkspace, updateWidgetRow } from './widget.repository.js';

export async function updateWidget(options: {
  db: Db;
  workspaceId: string;
  widgetId: string;
  patch: WidgetPatch;
}) {
  const { db, workspaceId, widgetId, patch } = options;
  return db.transaction().execute(async (trx) => {
    if (!(await findWidgetInWorkspace(trx, workspaceId, widgetId))) throw new AppError('widget_not_found');
    await updateWidgetRow(trx, workspaceId, widgetId, {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.greeting !== undefined ? { greeting: patch.greeting.trim() } : {}),
      ...(patch.botName !== undefined ? { bot_name: patch.botName.trim() } : {}),
      ...(patch.allowedOrigins !== undefined
        ? { allowed_origins: JSON.stringify(normalizeOrigins(patch.allowedOrigins)) }
        : {}),
      ...(patch.requireIdentity !== undefined ? { require_identity: patch.requireIdentity ? 1 : 0 } : {}),
      ...(patch.botMinConfidence !== undefined ? { bot_min_confidence: patch.botMinConfidence } : {}),
      ...(patch.botHandoffAfterMisses !== undefined
        ? { bot_handoff_after_misses: patch.botHandoffAfterMisses }
        : {}),
      updated_at: nowIso(),
    });
    const row = await findWidgetInWorkspace(trx, workspaceId, widgetId);
    if (!row) throw new AppError('widget_not_found');
    return row;
  });
}
