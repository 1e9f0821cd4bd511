import type { Db } from '../../platform/db/schema.js';
import {
  clearConversationTextsBefore,
  deleteMessagesById,
  selectOldMessageIds,
} from '../conversations/retention-sweeps.js';
import type { Vault } from '../encryption/vault.js';
import { deleteArchives, replaceArchivePayload } from './archive.repository.js';
import { type ArchiveContent, archiveColumns, openArchive, sealArchive } from './archive-codec.js';
import { selectArchives } from './retention-rules.repository.js';

/** History deletion, live messages: one batch of messages older than the cutoff. */
export async function deleteOldMessagesBatch(
  db: Db,
  o: { widgetId: string; before: string; limit: number },
): Promise<number> {
  const ids = await selectOldMessageIds(db, o);
  const deleted = await deleteMessagesById(db, ids);
  if (ids.length < o.limit) await clearConversationTextsBefore(db, o.widgetId, o.before);
  return deleted;
}

/**
 * History deletion, archived copies: messages and notes older than the cutoff leave the archive. An
 * archive left with nothing goes; one that holds the visitor data (moved with the visitor's last
 * conversation) keeps it, since that follows the visitor data TTL, not the history rule. Returns the
 * number of archives deleted or rewritten.
 */
export async function pruneArchivedHistoryBatch(
  db: Db,
  vault: Vault,
  o: { widgetId: string; before: string; limit: number },
): Promise<number> {
  const whole = await selectArchives(db, { kind: 'all-older', ...o });
  let n = await deleteArchives(
    db,
    whole.filter((r) => r.profile_collected_at === null).map((r) => r.id),
  );
  const partly = await selectArchives(db, { kind: 'partly-older', ...o });
  for (const row of [...whole.filter((r) => r.profile_collected_at !== null), ...partly]) {
    const key = await vault.forVisitor(db, row.workspace_id, row.visitor_id);
    const content = openArchive(key, row);
    const kept: ArchiveContent = {
      ...content,
      messages: content.messages.filter((m) => m.createdAt >= o.before),
      notes: content.notes.filter((note) => note.createdAt >= o.before),
    };
    if (kept.messages.length === 0 && kept.notes.length === 0 && kept.profile === null) {
      n += await deleteArchives(db, [row.id]);
      continue;
    }
    await replaceArchivePayload(db, row.id, {
      payload: sealArchive(key, row.id, kept),
      ...archiveColumns(kept),
    });
    n += 1;
  }
  return n;
}
