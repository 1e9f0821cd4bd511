import type { Executor } from '../../platform/db/schema.js';
import { deleteQueriesOfConversations } from './query-content.repository.js';

/**
 * Deletes the queries of conversations that are going away (erasure, or retirement after inactivity),
 * with their events, inside the caller's transaction. Returns how many queries went.
 */
export function eraseConversationQueries(db: Executor, conversationIds: readonly string[]): Promise<number> {
  return deleteQueriesOfConversations(db, conversationIds);
}
