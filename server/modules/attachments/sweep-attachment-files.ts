import type { Db } from '../../platform/db/schema.js';
import {
  deleteAttachmentRows,
  existingAttachmentIds,
  selectUnsentAttachmentIds,
} from './attachment.repository.js';
import type { AttachmentStore } from './attachment-store.js';

/** An upload writes its file just before its row commits; younger files may still be on their way. */
export const SWEEP_GRACE_MS = 15 * 60_000;
/** How long an upload waits for the message that carries it. */
export const UNSENT_MS = 24 * 3_600_000;

/**
 * Deletes uploads no message carried within a day (a closed tab, a send that never came), then
 * removes chunk files no row names any more: attachments deleted by erasure or retention, uploads
 * abandoned half way (a `.part` file) or whose row never committed (the node stopped in between).
 * Returns how many files went (the database store deletes chunks with their rows).
 */
export async function sweepAttachmentFiles(o: {
  db: Db;
  store: AttachmentStore;
  now?: Date;
}): Promise<number> {
  const now = (o.now ?? new Date()).getTime();
  const unsent = await selectUnsentAttachmentIds(o.db, new Date(now - UNSENT_MS).toISOString());
  if (unsent.length > 0) await o.db.transaction().execute((trx) => deleteAttachmentRows(trx, unsent));
  return o.store.sweep({
    olderThanMs: now - SWEEP_GRACE_MS,
    live: async (ids) => new Set(await existingAttachmentIds(o.db, ids)),
  });
}
