import {
  readLinesFromFile,
  type Sealing,
  type Unsealing,
  writeLinesToFile,
} from '../../platform/db/dump/dump-file.js';
import type { DumpHeader } from '../../platform/db/dump/dump-format.js';
import { loadDump } from '../../platform/db/dump/load-dump.js';
import { writeDump } from '../../platform/db/dump/write-dump.js';
import type { Db } from '../../platform/db/schema.js';
import { truncateWal } from '../../platform/db/wal-checkpoints.js';
import { type AttachmentStore, attachmentFileRows } from '../attachments/lookups.js';
import { listErasures } from '../privacy/list-erasures.js';
import { reapplyErasures } from '../privacy/reapply-erasures.js';
import { rebuildSearchIndexAfterLoad, SEARCH_INDEX_TABLES } from '../search/rebuild-after-load.js';

type Progress = (done: number, total: number, table: string) => void;
type Source = { db: Db; dialect: 'sqlite' | 'postgres' };

/**
 * `parley backup` (sealed with age) and `parley export` (plain, for moving between SQLite and
 * PostgreSQL): every row of every table, one consistent snapshot, taken while Parley runs. Visitor
 * data inside is sealed under the master key either way; the backup's own sealing adds the rest
 * (agents, sessions, settings) and integrity.
 */
export async function dumpDatabase(
  o: Source & { file: string; sealing: Sealing; onProgress?: Progress; attachments?: AttachmentStore },
): Promise<DumpHeader> {
  let header: DumpHeader | undefined;
  // Attachment chunks kept in files go into the dump as rows of attachment_chunks, still sealed: a
  // backup or an export holds every file, and a restore or an import reads them from there.
  const extra = o.attachments?.kind === 'files' ? [attachmentFileRows(o.attachments)] : [];
  await writeLinesToFile(o.file, o.sealing, async (write) => {
    header = await writeDump({
      db: o.db,
      dialect: o.dialect,
      write,
      skip: SEARCH_INDEX_TABLES,
      extra,
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
  });
  return header as DumpHeader;
}

/** `parley restore`: replaces every row with the backup's, then re-applies every erasure on record. */
export async function restoreDatabase(
  o: Source & { file: string; unsealing: Unsealing; onProgress?: Progress },
): Promise<{ rows: number; erasuresReapplied: number }> {
  const before = await listErasures(o.db);
  let erasuresReapplied = 0;
  const { rows } = await loadDump({
    db: o.db,
    dialect: o.dialect,
    lines: readLinesFromFile(o.file, o.unsealing),
    replace: true,
    skip: SEARCH_INDEX_TABLES,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    finish: async (trx) => {
      erasuresReapplied = await reapplyErasures(trx, before);
      await rebuildSearchIndexAfterLoad(trx);
    },
  });
  if (o.dialect === 'sqlite') await truncateWal(o.db);
  return { rows, erasuresReapplied };
}

/** `parley import`: loads an export into an empty database (SQLite → PostgreSQL, or back). */
export async function importDatabase(
  o: Source & { file: string; onProgress?: Progress },
): Promise<{ rows: number }> {
  const { rows } = await loadDump({
    db: o.db,
    dialect: o.dialect,
    lines: readLinesFromFile(o.file, null),
    replace: false,
    skip: SEARCH_INDEX_TABLES,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    finish: async (trx) => {
      await reapplyErasures(trx, []);
      await rebuildSearchIndexAfterLoad(trx);
    },
  });
  return { rows };
}
