import type { Archive, ArchiveSummary } from '../../../protocol/data-protection.js';
import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';
import { findArchive, listArchiveRows } from './archive.repository.js';
import { presentArchive, presentArchiveSummary } from './archive-codec.js';

export async function listArchives(options: {
  db: Db;
  workspaceId: string;
  widgetId?: string;
  before?: string;
  limit: number;
}): Promise<ArchiveSummary[]> {
  return (await listArchiveRows(options.db, options)).map(presentArchiveSummary);
}

/** An archived conversation in full, decrypted for an administrator. */
export async function getArchive(options: {
  db: Db;
  vault: Vault;
  workspaceId: string;
  archiveId: string;
}): Promise<Archive> {
  const row = await findArchive(options.db, options.workspaceId, options.archiveId);
  if (!row) throw new AppError('archive_not_found');
  const key = await options.vault.forVisitor(options.db, row.workspace_id, row.visitor_id);
  return presentArchive(key, row);
}
