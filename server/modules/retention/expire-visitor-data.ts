import type { Db, Executor } from '../../platform/db/schema.js';
import type { ConversationArchivesTable } from '../../platform/db/schema-data-protection.js';
import type { Vault } from '../encryption/vault.js';
import type { VisitorKey } from '../encryption/visitor-key.js';
import { deleteProfiles, selectExpiredProfiles } from '../visitors/profile-retention.js';
import { replaceArchivePayload } from './archive.repository.js';
import { archiveColumns, openArchive, sealArchive } from './archive-codec.js';
import { selectArchives } from './retention-rules.repository.js';

/** Visitor data TTL, live profiles: one batch; returns how many profiles it deleted. */
export async function expireProfilesBatch(
  db: Db,
  o: { widgetId: string; ttlSeconds: number | null; now: Date; limit: number },
): Promise<number> {
  const collectedBefore =
    o.ttlSeconds === null ? null : new Date(o.now.getTime() - o.ttlSeconds * 1000).toISOString();
  const ids = await selectExpiredProfiles(db, {
    widgetId: o.widgetId,
    now: o.now.toISOString(),
    collectedBefore,
    limit: o.limit,
  });
  return deleteProfiles(db, ids);
}

/**
 * Visitor data TTL, archived copies: the profile is taken out of each archive past its expiry, or
 * past a TTL saved since it was archived.
 */
export async function expireArchivedProfilesBatch(
  db: Db,
  vault: Vault,
  o: { widgetId: string; ttlSeconds: number | null; now: Date; limit: number },
): Promise<number> {
  const rows = await selectArchives(db, {
    kind: 'profile-expired',
    widgetId: o.widgetId,
    now: o.now.toISOString(),
    collectedBefore:
      o.ttlSeconds === null ? null : new Date(o.now.getTime() - o.ttlSeconds * 1000).toISOString(),
    limit: o.limit,
  });
  for (const row of rows)
    await removeArchivedProfile(db, await vault.forVisitor(db, row.workspace_id, row.visitor_id), row);
  return rows.length;
}

/** Takes the visitor data out of one archive (the rest of it stays). */
export async function removeArchivedProfile(
  db: Executor,
  key: VisitorKey,
  row: ConversationArchivesTable,
): Promise<void> {
  const content = { ...openArchive(key, row), profile: null };
  await replaceArchivePayload(db, row.id, {
    payload: sealArchive(key, row.id, content),
    ...archiveColumns(content),
  });
}
