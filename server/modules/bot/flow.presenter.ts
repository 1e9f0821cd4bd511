import type { Flow, FlowDefinition } from '../../../protocol/flows.js';
import type { BotFlowsTable } from '../../platform/db/schema-flows.js';

export function presentFlow(row: BotFlowsTable, definition: FlowDefinition): Flow {
  return {
    id: row.id,
    widgetId: row.widget_id,
    name: row.name,
    trigger: row.trigger,
    label: row.label,
    version: row.version,
    definition,
    updatedAt: row.updated_at,
  };
}
