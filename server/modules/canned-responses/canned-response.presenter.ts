import type { CannedResponsesTable } from '../../platform/db/schema-service.js';

export function presentCannedResponse(row: Pick<CannedResponsesTable, 'id' | 'shortcut' | 'title' | 'body'>) {
  return { id: row.id, shortcut: row.shortcut, title: row.title, body: row.body };
}
