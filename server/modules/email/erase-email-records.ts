import type { Executor } from '../../platform/db/schema.js';
import { deleteEmailRecordsOf, deleteOptOutOf } from './email.repository.js';

/** What was mailed about these conversations, and whether a mail waits: gone with them. */
export async function eraseEmailRecords(db: Executor, conversationIds: readonly string[]): Promise<void> {
  await deleteEmailRecordsOf(db, conversationIds);
}

/** A visitor erased: their unsubscribe goes too (their email and profile are gone already). */
export async function eraseEmailOptOut(db: Executor, visitorId: string): Promise<void> {
  await deleteOptOutOf(db, visitorId);
}
