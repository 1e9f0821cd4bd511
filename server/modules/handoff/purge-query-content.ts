import type { Db, Executor } from '../../platform/db/schema.js';
import { clearQueryTexts, selectClosedConversationsWithQueryTexts } from './query-content.repository.js';

/**
 * Storage off: a closed conversation's queries keep their lifecycle (states, times, score) for the
 * reports and lose every text: page, referrer, resolution note and rating comment. Runs inside the
 * caller's transaction; returns how many queries held any.
 */
export function purgeQueryContent(db: Executor, conversationId: string): Promise<number> {
  return clearQueryTexts(db, [conversationId]);
}

/** One batch of the storage-off sweep: texts a closed conversation's queries still hold (a late rating). */
export async function purgeClosedQueryContentBatch(
  db: Db,
  o: { widgetId: string; limit: number },
): Promise<number> {
  const ids = await selectClosedConversationsWithQueryTexts(db, o);
  await clearQueryTexts(db, ids);
  return ids.length;
}
