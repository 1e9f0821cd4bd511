import type { Executor } from '../../platform/db/schema.js';
import { deleteContactsOfVisitor, deleteDeliveries } from './channel.repository.js';

/** Which of these conversations' messages went out to a platform: gone with the conversations. */
export async function eraseChannelDeliveries(
  db: Executor,
  conversationIds: readonly string[],
): Promise<void> {
  await deleteDeliveries(db, conversationIds);
}

/** A visitor erased: the link to their platform account (the sealed sender id) goes too. */
export async function eraseChannelContact(db: Executor, visitorId: string): Promise<void> {
  await deleteContactsOfVisitor(db, visitorId);
}
