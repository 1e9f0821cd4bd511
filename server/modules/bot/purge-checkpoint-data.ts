import type { Db, Executor } from '../../platform/db/schema.js';
import {
  clearCheckpointDataOfConversations,
  selectClosedConversationsWithCheckpointData,
} from './flow-record.repository.js';

/**
 * Storage off: a closed conversation's checkpoints keep their name and time and lose the copy of the
 * visitor data they took. Runs inside the caller's transaction; returns how many it cleared.
 */
export function purgeCheckpointData(db: Executor, conversationId: string): Promise<number> {
  return clearCheckpointDataOfConversations(db, [conversationId]);
}

/** One batch of the storage-off sweep: checkpoint copies that closed conversations still hold. */
export async function purgeClosedCheckpointDataBatch(
  db: Db,
  o: { widgetId: string; limit: number },
): Promise<number> {
  const ids = await selectClosedConversationsWithCheckpointData(db, o);
  await clearCheckpointDataOfConversations(db, ids);
  return ids.length;
}
