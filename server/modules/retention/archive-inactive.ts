import { randomUUID } from 'node:crypto';
import type { ConversationsTable, Db } from '../../platform/db/schema.js';
import { eraseConversationAttachments } from '../attachments/erase-attachments.js';
import { eraseFlowRecords } from '../bot/erase-flow-records.js';
import { eraseConversationCalls } from '../calls/end-call.js';
import { eraseChannelDeliveries } from '../channels/erase-channel-records.js';
import { eraseConversations } from '../conversations/erase-conversations.js';
import { listNotes } from '../conversations/list-notes.js';
import { presentMessage } from '../conversations/presenters.js';
import {
  countOtherConversations,
  listAllMessageRows,
  lockIfInactive,
  selectInactiveConversations,
} from '../conversations/retention-sweeps.js';
import { eraseEmailRecords } from '../email/erase-email-records.js';
import { openMessageRow } from '../encryption/message-cipher.js';
import type { Vault } from '../encryption/vault.js';
import { eraseConversationQueries } from '../handoff/erase-conversation-queries.js';
import { findProfile } from '../visitors/lookups.js';
import { deleteProfiles } from '../visitors/profile-retention.js';
import { isLive, openProfile } from '../visitors/visitor-profile-codec.js';
import { insertArchive } from './archive.repository.js';
import { type ArchiveContent, archiveColumns, sealArchive } from './archive-codec.js';

/** What became of an inactive conversation. */
export type Retired = 'archived' | 'deleted';

/** Inactivity: one batch of conversations with no message since the cutoff, archived or deleted. */
export async function handleInactiveBatch(
  db: Db,
  vault: Vault,
  o: { widgetId: string; before: string; archive: boolean; now: Date; limit: number },
  /** Told of each conversation once its transaction has committed, so a batch that fails later still counts it. */
  retired: (outcome: Retired) => void,
): Promise<{ seen: number }> {
  const rows = await selectInactiveConversations(db, o);
  for (const row of rows) {
    const done = await retireConversation(db, vault, row, o);
    if (done !== 'skipped') retired(done);
  }
  return { seen: rows.length };
}

/**
 * Moves one conversation into an encrypted archive (or deletes it when archiving is off), in one
 * transaction. When it is the visitor's last conversation, their visitor data (the lead) moves or
 * goes with it.
 */
async function retireConversation(
  db: Db,
  vault: Vault,
  conversation: ConversationsTable,
  o: { before: string; archive: boolean; now: Date },
): Promise<Retired | 'skipped'> {
  // Keys and reads first: on SQLite the one connection must not be asked for outside the transaction.
  const key = await vault.forVisitor(db, conversation.workspace_id, conversation.visitor_id);
  const notes = o.archive ? await listNotes({ db, vault, conversationId: conversation.id }) : [];
  return db.transaction().execute(async (trx) => {
    if (!(await lockIfInactive(trx, conversation.id, o.before))) return 'skipped';
    const last = (await countOtherConversations(trx, conversation.visitor_id, conversation.id)) === 0;
    const profileRow = last ? await findProfile(trx, conversation.visitor_id) : undefined;
    if (o.archive) {
      const messages = (await listAllMessageRows(trx, conversation.id)).map((r) =>
        presentMessage(openMessageRow(key, r)),
      );
      const content: ArchiveContent = {
        conversation: {
          status: conversation.status,
          createdAt: conversation.created_at,
          lastSeq: conversation.last_seq,
        },
        messages,
        notes,
        profile: profileRow && isLive(profileRow, o.now.toISOString()) ? openProfile(key, profileRow) : null,
      };
      const id = randomUUID();
      await insertArchive(trx, {
        id,
        workspace_id: conversation.workspace_id,
        widget_id: conversation.widget_id,
        visitor_id: conversation.visitor_id,
        conversation_id: conversation.id,
        payload: sealArchive(key, id, content),
        ...archiveColumns(content),
        archived_at: o.now.toISOString(),
      });
    }
    // The handoff record and the flow's run and checkpoints end with the live conversation: the
    // archive keeps what was said and the visitor data, and nothing else of it.
    await eraseConversationQueries(trx, [conversation.id]);
    await eraseFlowRecords(trx, [conversation.id]);
    await eraseEmailRecords(trx, [conversation.id]);
    await eraseChannelDeliveries(trx, [conversation.id]);
    // Files are not archived: they leave with the live conversation (docs/OPERATIONS.md, Attachments).
    await eraseConversationAttachments(trx, [conversation.id]);
    await eraseConversationCalls(trx, [conversation.id]);
    await eraseConversations(trx, [conversation.id]);
    if (profileRow) await deleteProfiles(trx, [conversation.visitor_id]);
    return o.archive ? 'archived' : 'deleted';
  });
}
