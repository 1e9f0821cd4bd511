import { nowIso } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/schema.js';
import { isWriteConflict } from '../../platform/db/write-conflict.js';
import { eraseConversationAttachments } from '../attachments/erase-attachments.js';
import { purgeCheckpointData } from '../bot/purge-checkpoint-data.js';
import { eraseChannelContact } from '../channels/erase-channel-records.js';
import { deleteConversationContent } from '../conversations/erase-conversations.js';
import {
  clearConversationTexts,
  countOtherConversations,
  findConversationWithRetention,
  lockConversation,
  selectClosedWithContent,
} from '../conversations/retention-sweeps.js';
import type { Vault } from '../encryption/vault.js';
import type { VisitorKey } from '../encryption/visitor-key.js';
import { purgeQueryContent } from '../handoff/purge-query-content.js';
import { forgetVerifiedIdentities } from '../visitors/forget-verified-identities.js';
import { deleteProfiles } from '../visitors/profile-retention.js';
import { listArchivesWithProfileOfVisitor } from './archive.repository.js';
import { removeArchivedProfile } from './expire-visitor-data.js';

/**
 * Storage off: a closed conversation keeps its row (times, status) and its queries' lifecycle, and
 * nothing of what was said or where: messages, attachments, notes, the preview, the page and referrer, its queries'
 * texts and its checkpoints' copies of the visitor data go. Once the visitor has no open conversation
 * left, so does their visitor data, archived copies included, and the site's user id. Runs inside the
 * caller's transaction, with the visitor's key taken before it; idempotent.
 */
export async function purgeConversationContent(
  db: Executor,
  key: VisitorKey,
  conversationId: string,
): Promise<number> {
  // The row lock first, in the order a message's store takes its locks (store-message.ts).
  await lockConversation(db, conversationId);
  const row = await findConversationWithRetention(db, conversationId);
  if (!row) return 0;
  const deleted = await deleteConversationContent(db, conversationId);
  await eraseConversationAttachments(db, [conversationId]);
  await clearConversationTexts(db, conversationId);
  await purgeQueryContent(db, conversationId);
  await purgeCheckpointData(db, conversationId);
  if ((await countOtherConversations(db, row.visitor_id, conversationId, 'open')) === 0) {
    await deleteProfiles(db, [row.visitor_id]);
    for (const archive of await listArchivesWithProfileOfVisitor(db, row.visitor_id))
      await removeArchivedProfile(db, key, archive);
    await forgetVerifiedIdentities(db, { visitorIds: [row.visitor_id], at: nowIso() });
    await eraseChannelContact(db, row.visitor_id);
  }
  return deleted;
}

export async function purgeIfStorageOff(options: {
  db: Db;
  vault: Vault;
  conversationId: string;
}): Promise<void> {
  const row = await findConversationWithRetention(options.db, options.conversationId);
  if (row?.storage_off !== 1 || row.status !== 'closed') return;
  await purgeOne(options.db, options.vault, row);
}

/** One batch of the storage-off sweep for a widget; returns how many conversations it purged. */
export async function purgeClosedBatch(
  db: Db,
  vault: Vault,
  widgetId: string,
  limit: number,
): Promise<number> {
  const ids = await selectClosedWithContent(db, { widgetId, limit });
  for (const id of ids) {
    const row = await findConversationWithRetention(db, id);
    if (row) await purgeOne(db, vault, row);
  }
  return ids.length;
}

async function purgeOne(
  db: Db,
  vault: Vault,
  row: { id: string; visitor_id: string; workspace_id: string },
): Promise<void> {
  // The key first: on SQLite the one connection must not be asked for outside the transaction.
  const key = await vault.forVisitor(db, row.workspace_id, row.visitor_id);
  // A writer that took its locks in another order can still meet the purge in a deadlock, which
  // PostgreSQL ends by rolling one of them back: the purge (idempotent) then runs again, whole.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await db.transaction().execute((trx) => purgeConversationContent(trx, key, row.id));
      return;
    } catch (err) {
      if (attempt >= 3 || !isWriteConflict(err)) throw err;
    }
  }
}
