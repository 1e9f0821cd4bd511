import type { Attachment } from '../../../protocol/attachments.js';
import type { ExtraRows } from '../../platform/db/dump/write-dump.js';
import type { Executor } from '../../platform/db/schema.js';
import type { VisitorKey } from '../encryption/visitor-key.js';
import { presentAttachment } from './attachment.presenter.js';
import { countChunks, listAttachmentsOfConversation, listChunkCounts } from './attachment.repository.js';
import type { AttachmentStore } from './attachment-store.js';

/** What other modules may read of attachments. */

/** A conversation's attachments, names opened with the visitor's key (the data-subject export). */
export async function listConversationAttachments(
  db: Executor,
  key: VisitorKey,
  conversationId: string,
): Promise<Attachment[]> {
  const rows = await listAttachmentsOfConversation(db, conversationId);
  return rows.map((row) =>
    presentAttachment({ ...row, name: key.open('attachments', 'name', row.id, row.name) }),
  );
}

export type { AttachmentStore } from './attachment-store.js';

/**
 * The sealed chunks the file store keeps, as rows of attachment_chunks, for a backup or an export:
 * read within the dump's transaction (the rows it sees name the files it reads).
 */
export function attachmentFileRows(store: AttachmentStore): ExtraRows {
  return {
    table: 'attachment_chunks',
    count: async (trx) => countChunks(trx as Executor),
    async *rows(trx) {
      for (const row of await listChunkCounts(trx as Executor)) {
        let idx = 0;
        for await (const data of store.read(trx as Executor, row.id, row.chunk_count)) {
          yield { attachment_id: row.id, workspace_id: row.workspace_id, idx, data };
          idx += 1;
        }
      }
    },
  };
}
