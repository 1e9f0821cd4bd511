import { randomUUID } from 'node:crypto';
import { FLOW_LIMITS, type Flow, type FlowBody } from '../../../protocol/flows.js';
import type { Translations } from '../../../protocol/languages.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { requireWidget } from '../widgets/lookups.js';
import { checkFlowGraph } from './check-flow.js';
import { presentFlow } from './flow.presenter.js';
import { countFlows, findFlow, insertFlow, insertFlowVersion, updateFlowRow } from './flow.repository.js';

interface Actor {
  db: Db;
  workspaceId: string;
  widgetId: string;
  userId: string;
  ip: string | null;
}

/**
 * Creates a flow, or saves a new version of one (`flowId`). Every version is kept: a conversation
 * in the middle of a flow finishes on the version it started with.
 */
export async function saveFlow(o: Actor & { flowId?: string; body: FlowBody }): Promise<Flow> {
  const { db, workspaceId, widgetId, body } = o;
  const problems = checkFlowGraph(body.definition);
  if (problems.length > 0) throw new AppError('invalid_request', { details: problems.slice(0, 10) });
  return db.transaction().execute(async (trx) => {
    await requireWidget(trx, workspaceId, widgetId);
    const at = nowIso();
    let flowId = o.flowId;
    let version = 1;
    if (flowId) {
      const current = await findFlow(trx, workspaceId, flowId);
      if (!current || current.widget_id !== widgetId) throw new AppError('flow_not_found');
      version = current.version + 1;
      await updateFlowRow(trx, flowId, {
        name: body.name,
        trigger: body.trigger,
        label: body.label ?? null,
        label_translations: storedLabels(body.labels),
        version,
        updated_at: at,
      });
    } else {
      if ((await countFlows(trx, widgetId)).n >= FLOW_LIMITS.maxFlowsPerWidget) {
        throw new AppError('invalid_request', {
          details: [`A widget has at most ${FLOW_LIMITS.maxFlowsPerWidget} flows.`],
        });
      }
      flowId = randomUUID();
      await insertFlow(trx, {
        id: flowId,
        workspace_id: workspaceId,
        widget_id: widgetId,
        name: body.name,
        trigger: body.trigger,
        label: body.label ?? null,
        label_translations: storedLabels(body.labels),
        version,
        created_at: at,
        updated_at: at,
      });
    }
    await insertFlowVersion(trx, {
      flow_id: flowId,
      version,
      workspace_id: workspaceId,
      definition: JSON.stringify(body.definition),
      created_by: o.userId,
      created_at: at,
    });
    await recordAuditEvent(trx, {
      workspaceId,
      actor: { type: 'user', id: o.userId },
      action: o.flowId ? 'flow.updated' : 'flow.created',
      target: { type: 'flow', id: flowId },
      ip: o.ip,
    });
    const row = await findFlow(trx, workspaceId, flowId);
    if (!row) throw new AppError('flow_not_found');
    return presentFlow(row, body.definition);
  });
}

/** Label translations as stored: trimmed, blank ones dropped, null when none is left. */
function storedLabels(labels: Translations | undefined): string | null {
  const kept = Object.entries(labels ?? {})
    .map(([lang, text]) => [lang, text?.trim() ?? ''] as const)
    .filter(([, text]) => text !== '');
  return kept.length > 0 ? JSON.stringify(Object.fromEntries(kept)) : null;
}
