import type { Executor } from '../../platform/db/schema.js';
import { eraseConversationAttachments } from '../attachments/erase-attachments.js';
import { eraseFlowRecords } from '../bot/erase-flow-records.js';
import { eraseConversationCalls } from '../calls/end-call.js';
import { eraseChannelContact, eraseChannelDeliveries } from '../channels/erase-channel-records.js';
import { eraseConversations } from '../conversations/erase-conversations.js';
import { listConversationIdsOfVisitor } from '../conversations/lookups.js';
import { eraseEmailOptOut, eraseEmailRecords } from '../email/erase-email-records.js';
import { shredVisitorKey } from '../encryption/shred-visitor-key.js';
import { eraseConversationQueries } from '../handoff/erase-conversation-queries.js';
import { eraseArchivesOfVisitor } from '../retention/erase-archives.js';
import { eraseVisitorRecords } from '../visitors/erase-visitor-records.js';

/**
 * Deletes every row about a visitor, each module its own, the wrapped data key included
 * (crypto-shredding: any copy of their ciphertext elsewhere, a backup included, can no longer be
 * decrypted). Inside the caller's transaction. Returns the ids of the conversations removed, so
 * caches can drop them.
 */
export async function purgeVisitorRows(db: Executor, visitorId: string): Promise<string[]> {
  const ids = await listConversationIdsOfVisitor(db, visitorId);
  await eraseArchivesOfVisitor(db, visitorId);
  if (ids.length > 0) {
    await eraseConversationQueries(db, ids);
    await eraseFlowRecords(db, ids);
    await eraseEmailRecords(db, ids);
    await eraseChannelDeliveries(db, ids);
    await eraseConversationAttachments(db, ids);
    await eraseConversationCalls(db, ids);
    await eraseConversations(db, ids);
  }
  await eraseEmailOptOut(db, visitorId);
  await eraseChannelContact(db, visitorId);
  await eraseVisitorRecords(db, visitorId);
  await shredVisitorKey(db, visitorId);
  return ids;
}
