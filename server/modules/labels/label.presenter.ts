import type { Label } from '../../../protocol/labels.js';
import type { LabelsTable } from '../../platform/db/schema-labels-search.js';

export function presentLabel(row: Pick<LabelsTable, 'id' | 'name' | 'colour' | 'created_at'>): Label {
  return { id: row.id, name: row.name, colour: row.colour.toLowerCase(), createdAt: row.created_at };
}
