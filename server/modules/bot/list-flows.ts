import type { Flow, FlowDefinition } from '../../../protocol/flows.js';
import type { Db } from '../../platform/db/schema.js';
import { requireWidget } from '../widgets/lookups.js';
import { presentFlow } from './flow.presenter.js';
import { findCurrentVersions, findFlows } from './flow.repository.js';

/** A widget's flows with their current definitions. */
export async function listFlows(o: { db: Db; workspaceId: string; widgetId: string }): Promise<Flow[]> {
  await requireWidget(o.db, o.workspaceId, o.widgetId);
  const rows = await findFlows(o.db, o.workspaceId, o.widgetId);
  const versions = new Map((await findCurrentVersions(o.db, rows)).map((v) => [v.flow_id, v.definition]));
  return rows.map((row) => presentFlow(row, JSON.parse(versions.get(row.id) ?? '{}') as FlowDefinition));
}
