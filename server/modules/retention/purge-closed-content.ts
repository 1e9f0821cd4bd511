import type { Db, Executor } from '../../platform/db/schema.js';
import {
  clearPreview,
  countOtherConversations,
  deleteConversationContent,
  deleteProfiles,
  findConversationWithRetention,
  selectClosedWithContent,
} from './retention-rules.repository.js';

/**
 * Storage off: a closed conversation keeps its row (times, status) and nothing of what was said —
 * messages, notes and the preview go, and so does the visitor data once the visitor has no open
 * conversation left. Idempotent: a purged conversation no longer matches.
 */
export async function purgeConversationContent(db: Executor, conversationId: string): Promise<number> {
  const row = await findConversationWithRetention(db, conversationId);
  if (!row) return 0;
  const deleted = await deleteConversationContent(db, conversationId);
  await clearPreview(db, conversationId);
  if ((await countOtherConversations(db, row.visitor_id, conversationId, 'open')) === 0)
    await deleteProfiles(db, [row.visitor_id]);
  return deleted;
}

export async function purgeIfStorageOff(options: { db: Db; conversationId: string }): Promise<void> {
  const row = await findConversationWithRetention(options.db, options.conversationId);
  if (row?.storage_off !== 1 || row.status !== 'closed') return;
  await options.db.transaction().execute((trx) => purgeConversationContent(trx, options.conversationId));
}

/** One batch of the storage-off sweep for a widget; returns how many conversations it purged. */
export async function purgeClosedBatch(db: Db, widgetId: string, limit: number): Promise<number> {
  const ids = await selectClosedWithContent(db, { widgetId, limit });
  for (const id of ids) await db.transaction().execute((trx) => purgeConversationContent(trx, id));
  return ids.length;
}
