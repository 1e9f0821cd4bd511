import type { MessageAction } from '../../../protocol/structured.js';
import { STRUCTURED_LIMITS } from '../../../protocol/structured.js';
import type { BotFlowsTable } from '../../platform/db/schema-flows.js';

/** The quick reply under the greeting that starts a flow; its id carries the flow's id. */
export function flowAction(flow: Pick<BotFlowsTable, 'id' | 'name' | 'label'>): MessageAction {
  const label = (flow.label ?? flow.name).slice(0, STRUCTURED_LIMITS.maxLabelChars);
  return { id: `flow_${flow.id.replace(/-/g, '')}`, kind: 'reply', label };
}

export function flowIdOf(actionId: string): string | null {
  const m = /^flow_([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/.exec(actionId);
  return m ? m.slice(1).join('-') : null;
}
