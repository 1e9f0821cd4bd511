import type { Executor } from '../../platform/db/schema.js';
import { deleteContentOf, deleteConversationRows } from './conversation-close.repository.js';

/**
 * Conversations going away (an erasure, or retirement after inactivity), with everything this module
 * holds of them: messages, notes and the turns still owed to them. Inside the caller's transaction;
 * the other modules' rows (queries, flow records) are theirs to delete first.
 */
export async function eraseConversations(db: Executor, conversationIds: readonly string[]): Promise<void> {
  await deleteContentOf(db, conversationIds);
  await deleteConversationRows(db, conversationIds);
}

/** What a closed conversation says (messages, notes) goes; the conversation itself stays. */
export function deleteConversationContent(db: Executor, conversationId: string): Promise<number> {
  return deleteContentOf(db, [conversationId]);
}
