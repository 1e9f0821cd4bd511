import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { deleteFlowRows, findFlow } from './flow.repository.js';

/** Removes a flow and its versions; conversations in the middle of it go back to the plain bot. */
export async function deleteFlow(o: {
  db: Db;
  workspaceId: string;
  widgetId: string;
  flowId: string;
  userId: string;
  ip: string | null;
}): Promise<void> {
  await o.db.transaction().execute(async (trx) => {
    const row = await findFlow(trx, o.workspaceId, o.flowId);
    if (!row || row.widget_id !== o.widgetId) throw new AppError('flow_not_found');
    await deleteFlowRows(trx, o.flowId);
    await recordAuditEvent(trx, {
      workspaceId: o.workspaceId,
      actor: { type: 'user', id: o.userId },
      action: 'flow.deleted',
      target: { type: 'flow', id: o.flowId },
      ip: o.ip,
    });
  });
}
