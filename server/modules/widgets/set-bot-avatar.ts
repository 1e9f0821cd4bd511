import { BRANDING_DEFAULTS } from '../../../protocol/branding.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { avatarImage } from './avatar-image.js';
import { findBranding, setAvatar } from './branding.repository.js';
import { requireWidget } from './require-widget.js';

/**
 * Sets the bot's avatar from an uploaded image (re-encoded first: avatar-image.ts), or removes it
 * with `image: null`, after which the widget shows the bot's initial. A widget nobody styled yet
 * gets Parley's default look beside it.
 */
export async function setBotAvatar(options: {
  db: Db;
  workspaceId: string;
  widgetId: string;
  image: Buffer | null;
}) {
  const { db, workspaceId, widgetId } = options;
  // Decoded before the transaction: a slow image never holds a database lock.
  const avatar = options.image ? await avatarImage(options.image) : null;
  return db.transaction().execute(async (trx) => {
    await requireWidget(trx, workspaceId, widgetId);
    const d = BRANDING_DEFAULTS;
    await setAvatar(
      trx,
      {
        widget_id: widgetId,
        workspace_id: workspaceId,
        color: d.color,
        position: d.position,
        offset_x: d.offsetX,
        offset_y: d.offsetY,
        icon: d.icon,
        label: d.label,
        powered_by: d.poweredBy ? 1 : 0,
        updated_at: nowIso(),
      },
      avatar,
    );
    return findBranding(trx, widgetId);
  });
}
