import type { Db } from '../../platform/db/schema.js';
import { clearOldQueryTexts, selectQueriesWithOldTexts } from './query-content.repository.js';

/**
 * History deletion: one batch of a widget's queries holding a text older than the cutoff. The page
 * and referrer go once the query opened before it, the resolution note and the rating comment once
 * given before it. Returns how many queries it cleared something in.
 */
export async function deleteOldQueryContentBatch(
  db: Db,
  o: { widgetId: string; before: string; limit: number },
): Promise<number> {
  const ids = await selectQueriesWithOldTexts(db, o);
  await clearOldQueryTexts(db, ids, o.before);
  return ids.length;
}
