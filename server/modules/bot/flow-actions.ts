import { type Language, translated } from '../../../protocol/languages.js';
import type { MessageAction } from '../../../protocol/structured.js';
import { STRUCTURED_LIMITS } from '../../../protocol/structured.js';
import type { BotFlowsTable } from '../../platform/db/schema-flows.js';
import { labelTranslationsOf } from './flow.presenter.js';

/** The quick reply under the greeting that starts a flow; its id carries the flow's id. */
export function flowAction(
  flow: Pick<BotFlowsTable, 'id' | 'name' | 'label' | 'label_translations'>,
  language: Language | null = null,
): MessageAction {
  const label = translated(flow.label ?? flow.name, labelTranslationsOf(flow), language).slice(
    0,
    STRUCTURED_LIMITS.maxLabelChars,
  );
  return { id: `flow_${flow.id.replace(/-/g, '')}`, kind: 'reply', label };
}

export function flowIdOf(actionId: string): string | null {
  const m = /^flow_([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/.exec(actionId);
  return m ? m.slice(1).join('-') : null;
}
