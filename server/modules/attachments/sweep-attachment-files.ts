import type { Executor } from '../../platform/db/schema.js';
import { existingAttachmentIds } from './attachment.repository.js';
import type { AttachmentStore } from './attachment-store.js';

/** An upload writes its file just before its row commits; younger files may still be on their way. */
export const SWEEP_GRACE_MS = 15 * 60_000;

/**
 * Removes chunk files no row names any more: attachments deleted by erasure or retention, uploads
 * abandoned half way (a `.part` file) or whose row never committed (the node stopped in between).
 * Returns how many files went. Nothing to do for the database store.
 */
export function sweepAttachmentFiles(o: {
  db: Executor;
  store: AttachmentStore;
  now?: Date;
}): Promise<number> {
  return o.store.sweep({
    olderThanMs: (o.now ?? new Date()).getTime() - SWEEP_GRACE_MS,
    live: async (ids) => new Set(await existingAttachmentIds(o.db, ids)),
  });
}
