import type { WidgetBrandingBody } from '../../../protocol/branding.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { findBranding, upsertBranding } from './branding.repository.js';
import { requireWidget } from './require-widget.js';

/**
 * Sets a widget's look. The schema already holds every value to a closed set or `#rrggbb`; the
 * colour is stored in lower case and the label trimmed, so what is shown is what the dashboard showed.
 */
export async function updateBranding(options: {
  db: Db;
  workspaceId: string;
  widgetId: string;
  body: WidgetBrandingBody;
}) {
  const { db, workspaceId, widgetId, body } = options;
  return db.transaction().execute(async (trx) => {
    await requireWidget(trx, workspaceId, widgetId);
    await upsertBranding(trx, {
      widget_id: widgetId,
      workspace_id: workspaceId,
      color: body.color.toLowerCase(),
      position: body.position,
      offset_x: body.offsetX,
      offset_y: body.offsetY,
      icon: body.icon,
      label: body.label.trim(),
      powered_by: body.poweredBy ? 1 : 0,
      updated_at: nowIso(),
    });
    return findBranding(trx, widgetId);
  });
}
