import type { Flow, FlowDefinition } from '../../../protocol/flows.js';
import { isLanguage, type Translations } from '../../../protocol/languages.js';
import type { BotFlowsTable } from '../../platform/db/schema-flows.js';

/** The stored label translations: supported codes with non-empty text only. */
export function labelTranslationsOf(row: Pick<BotFlowsTable, 'label_translations'>): Translations {
  const out: Translations = {};
  const parsed: unknown = row.label_translations ? JSON.parse(row.label_translations) : null;
  if (!parsed || typeof parsed !== 'object') return out;
  for (const [lang, text] of Object.entries(parsed)) {
    if (isLanguage(lang) && typeof text === 'string' && text.trim()) out[lang] = text;
  }
  return out;
}

export function presentFlow(row: BotFlowsTable, definition: FlowDefinition): Flow {
  return {
    id: row.id,
    widgetId: row.widget_id,
    name: row.name,
    trigger: row.trigger,
    label: row.label,
    labels: labelTranslationsOf(row),
    version: row.version,
    definition,
    updatedAt: row.updated_at,
  };
}
