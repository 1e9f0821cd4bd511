import { randomUUID } from 'node:crypto';
import { nowIso } from '../../platform/clock.js';
import type { AuditEventsTable, Executor } from '../../platform/db/schema.js';
import { advanceAuditHead, appendAuditEvent } from './audit.repository.js';
import type { AuditEventInput } from './audit-event.js';
import { auditHash } from './audit-hash.js';
import { notifyAuditListeners } from './audit-listeners.js';

export type { AuditActor, AuditDetails, AuditEventInput } from './audit-event.js';

/** Where security events also go as structured log records (pino's logger fits). */
export interface SecurityLogger {
  info(obj: object, msg: string): void;
}

/**
 * Appends an entry to the workspace's hash-chained audit log. Pass the caller's transaction when
 * the event belongs to a change, so the entry commits or rolls back with it.
 */
export async function recordAuditEvent(
  db: Executor,
  input: AuditEventInput,
  log?: SecurityLogger,
): Promise<void> {
  const write = async (trx: Executor) => {
    const { seq, prevHash } = await advanceAuditHead(trx, input.workspaceId);
    const entry: Omit<AuditEventsTable, 'id' | 'hash'> = {
      workspace_id: input.workspaceId,
      seq,
      occurred_at: nowIso(),
      actor_type: input.actor.type,
      actor_id: input.actor.type === 'system' ? null : input.actor.id,
      action: input.action,
      target_type: input.target?.type ?? null,
      target_id: input.target?.id ?? null,
      ip: input.ip ?? null,
      details: JSON.stringify(input.details ?? {}),
      prev_hash: prevHash,
    };
    await appendAuditEvent(trx, { id: randomUUID(), ...entry, hash: auditHash(entry) });
  };
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
  notifyAuditListeners(input);
  log?.info(
    {
      security: true,
      event: input.action,
      workspaceId: input.workspaceId,
      actorType: input.actor.type,
      actorId: input.actor.type === 'system' ? null : input.actor.id,
      targetType: input.target?.type ?? null,
      targetId: input.target?.id ?? null,
      ip: input.ip ?? null,
      ...input.details,
    },
    `security event ${input.action}`,
  );
}
