import type { Db } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';
import { deleteArchives, replaceArchivePayload } from './archive.repository.js';
import { archiveColumns, openArchive, sealArchive } from './archive-codec.js';
import {
  clearPreviewsBefore,
  deleteMessagesById,
  selectArchives,
  selectOldMessageIds,
} from './retention-rules.repository.js';

/** History deletion, live messages: one batch of messages older than the cutoff. */
export async function deleteOldMessagesBatch(
  db: Db,
  o: { widgetId: string; before: string; limit: number },
): Promise<number> {
  const ids = await selectOldMessageIds(db, o);
  const deleted = await deleteMessagesById(db, ids);
  if (ids.length < o.limit) await clearPreviewsBefore(db, o.widgetId, o.before);
  return deleted;
}

/**
 * History deletion, archived copies: an archive whose messages are all older goes; one that is partly
 * older is rewritten without them. Returns the number of archives deleted or rewritten.
 */
export async function pruneArchivedHistoryBatch(
  db: Db,
  vault: Vault,
  o: { widgetId: string; before: string; limit: number },
): Promise<number> {
  const whole = await selectArchives(db, { kind: 'all-older', ...o });
  let n = await deleteArchives(
    db,
    whole.map((r) => r.id),
  );
  const partly = await selectArchives(db, { kind: 'partly-older', ...o });
  for (const row of partly) {
    const key = await vault.forVisitor(db, row.workspace_id, row.visitor_id);
    const content = openArchive(key, row);
    const kept = { ...content, messages: content.messages.filter((m) => m.createdAt >= o.before) };
    await replaceArchivePayload(db, row.id, {
      payload: sealArchive(key, row.id, kept),
      ...archiveColumns(kept),
    });
    n += 1;
  }
  return n;
}
