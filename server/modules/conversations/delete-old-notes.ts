import type { Db } from '../../platform/db/schema.js';
import { deleteNotesById, selectOldNoteIds } from './note.repository.js';

/**
 * History deletion: notes are part of a conversation's history, so they go when they are older than
 * the cutoff, like messages. One batch for a widget; returns how many it deleted.
 */
export async function deleteOldNotesBatch(
  db: Db,
  o: { widgetId: string; before: string; limit: number },
): Promise<number> {
  return deleteNotesById(db, await selectOldNoteIds(db, o));
}
