import type { Executor } from '../../platform/db/schema.js';

/**
 * The audit-log call sites of data protection. Each runs inside the command's transaction and
 * carries ids only. They become `recordAuditEvent(trx, …)` calls (modules/audit) once the audit
 * log is part of the codebase; until then the `erasures` table is the record of erasures.
 */
export async function auditErasure(
  _trx: Executor,
  _event: { workspaceId: string; actorUserId: string | null; visitorId: string; erasureId: string },
): Promise<void> {
  // Wire: recordAuditEvent(trx, { workspaceId, actorUserId, action: 'visitor.erased', targetType: 'visitor', targetId: visitorId, details: { erasureId } })
}

export async function auditExport(
  _db: Executor,
  _event: { workspaceId: string; actorUserId: string | null; visitorId: string },
): Promise<void> {
  // Wire: recordAuditEvent(db, { workspaceId, actorUserId, action: 'visitor.exported', targetType: 'visitor', targetId: visitorId, details: {} })
}
