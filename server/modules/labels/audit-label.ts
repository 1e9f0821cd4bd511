import type { FastifyRequest } from 'fastify';
import type { Executor } from '../../platform/db/schema.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';

/** Label changes are workspace settings: each is audited like any administrator's change. */
export function auditLabelChange(
  db: Executor,
  request: Pick<FastifyRequest, 'agent' | 'ip' | 'log'>,
  o: { workspaceId: string; action: 'label.created' | 'label.updated' | 'label.deleted'; labelId: string },
): Promise<void> {
  return recordAuditEvent(
    db,
    {
      workspaceId: o.workspaceId,
      actor: request.agent ? { type: 'user', id: request.agent.userId } : { type: 'system' },
      action: o.action,
      target: { type: 'label', id: o.labelId },
      ip: request.ip,
    },
    request.log,
  );
}
