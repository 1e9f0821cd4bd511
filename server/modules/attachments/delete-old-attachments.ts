import type { Db } from '../../platform/db/schema.js';
import { deleteAttachmentRows, selectOldAttachmentIds } from './attachment.repository.js';

/**
 * History deletion: one batch of a widget's attachments sent before the cutoff, rows and database
 * chunks (files follow by the sweep). Returns how many went.
 */
export async function deleteOldAttachmentsBatch(
  db: Db,
  o: { widgetId: string; before: string; limit: number },
): Promise<number> {
  const ids = await selectOldAttachmentIds(db, o);
  await db.transaction().execute((trx) => deleteAttachmentRows(trx, ids));
  return ids.length;
}
