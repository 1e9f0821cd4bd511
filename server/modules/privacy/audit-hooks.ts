import type { Executor } from '../../platform/db/schema.js';
import { type AuditActor, recordAuditEvent } from '../audit/record-audit-event.js';

function actorOf(event: { actorUserId: string | null; actorTokenId?: string | null }): AuditActor {
  if (event.actorUserId) return { type: 'user', id: event.actorUserId };
  if (event.actorTokenId) return { type: 'api_token', id: event.actorTokenId };
  return { type: 'system' };
}

/** Audits an erasure inside its transaction: ids only, never the erased person's data. */
export async function auditErasure(
  trx: Executor,
  event: {
    workspaceId: string;
    actorUserId: string | null;
    actorTokenId?: string | null;
    visitorId: string;
    erasureId: string;
  },
): Promise<void> {
  await recordAuditEvent(trx, {
    workspaceId: event.workspaceId,
    actor: actorOf(event),
    action: 'visitor.erased',
    target: { type: 'visitor', id: event.visitorId },
    details: { erasureId: event.erasureId },
  });
}

/** Audits an export of everything held about a visitor. */
export async function auditExport(
  db: Executor,
  event: { workspaceId: string; actorUserId: string | null; visitorId: string },
): Promise<void> {
  await recordAuditEvent(db, {
    workspaceId: event.workspaceId,
    actor: actorOf(event),
    action: 'visitor.exported',
    target: { type: 'visitor', id: event.visitorId },
  });
}
