import type { WidgetIdentitySecret } from '../../../protocol/identity.js';
import { nowIso } from '../../platform/clock.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import { newWidgetSecret, openWidgetSecret, sealWidgetSecret } from '../visitors/widget-secret.js';
import { requireWidget } from './require-widget.js';
import { updateWidgetRow } from './widget.repository.js';

interface Options {
  db: Db;
  ring: KeyRing;
  workspaceId: string;
  widgetId: string;
  userId: string;
  ip: string | null;
  log?: SecurityLogger;
}

/** Shows an administrator the widget's identity secret. Each look is in the audit log. */
export async function revealIdentitySecret(options: Options): Promise<WidgetIdentitySecret> {
  const { db, ring, workspaceId, widgetId } = options;
  return db.transaction().execute(async (trx) => {
    const row = await requireWidget(trx, workspaceId, widgetId);
    let secret = openWidgetSecret(ring, row.identity_secret, row.id);
    if (!secret) {
      secret = newWidgetSecret();
      await updateWidgetRow(trx, workspaceId, widgetId, {
        identity_secret: sealWidgetSecret(ring, secret, row.id),
      });
    }
    await audit(trx, options, 'widget.identity_secret.viewed');
    return { secret };
  });
}

/**
 * Replaces the secret. Hashes made with the old one stop working at once; visitors already chatting
 * keep their credentials, but their next start needs a hash made with the new secret.
 */
export async function rotateIdentitySecret(options: Options): Promise<WidgetIdentitySecret> {
  const { db, ring, workspaceId, widgetId } = options;
  return db.transaction().execute(async (trx) => {
    await requireWidget(trx, workspaceId, widgetId);
    const secret = newWidgetSecret();
    await updateWidgetRow(trx, workspaceId, widgetId, {
      identity_secret: sealWidgetSecret(ring, secret, widgetId),
      updated_at: nowIso(),
    });
    await audit(trx, options, 'widget.identity_secret.rotated');
    return { secret };
  });
}

function audit(trx: Parameters<typeof recordAuditEvent>[0], o: Options, action: string) {
  return recordAuditEvent(
    trx,
    {
      workspaceId: o.workspaceId,
      actor: { type: 'user', id: o.userId },
      action,
      target: { type: 'widget', id: o.widgetId },
      ip: o.ip,
    },
    o.log,
  );
}
