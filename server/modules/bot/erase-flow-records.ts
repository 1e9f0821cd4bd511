import type { Executor } from '../../platform/db/schema.js';
import { deleteFlowRecordsOfConversations } from './flow-record.repository.js';

/**
 * Deletes the flow runs and checkpoints of conversations that are going away (erasure, or retirement
 * after inactivity), inside the caller's transaction.
 */
export function eraseFlowRecords(db: Executor, conversationIds: readonly string[]): Promise<void> {
  return deleteFlowRecordsOfConversations(db, conversationIds);
}
