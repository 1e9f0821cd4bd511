import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { hasPostgres } from '../../../test/support/services.js';
import { createTestDatabase } from '../../../test/support/test-server.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { dumpDatabase, importDatabase } from '../backups/database-files.js';
import { fileStore } from './attachment-store.js';
import { readAttachment } from './read-attachment.js';
import { storeAttachment } from './store-attachment.js';

async function collect(content: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of content) parts.push(part);
  return Buffer.concat(parts);
}

/**
 * On SQLite attachments live in files beside the database; a backup or an export still holds them
 * (sealed, as rows of attachment_chunks), so a restore or an import into SQLite or PostgreSQL opens them.
 */
describe('attachments travel with backups and exports (sqlite)', () => {
  let s: Scenario;
  const dir = mkdtempSync(join(tmpdir(), 'parley-attach-dump-'));
  const marker = 'Courier-Zebulon-7731';
  const content = Buffer.from(`${marker}\n`.repeat(9000));
  let id: string;

  beforeAll(async () => {
    s = await startScenario('sqlite');
    const stored = await storeAttachment(
      {
        db: s.server.app.db,
        vault: s.server.app.vault,
        store: s.server.app.attachmentStore,
        limits: s.server.config.attachments,
      },
      {
        workspaceId: s.admin.workspaceId,
        conversationId: s.visitor.conversationId,
        uploader: { kind: 'visitor', id: s.visitor.visitor.id },
        fileName: 'delivery.txt',
        content,
      },
    );
    id = stored.id;
    expect(stored.chunk_count).toBeGreaterThan(1);
  });
  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const dumped = async () => {
    const file = join(dir, `export-${Date.now()}.jsonl.gz`);
    const header = await dumpDatabase({
      db: s.server.db.db,
      dialect: 'sqlite',
      file,
      sealing: null,
      attachments: s.server.app.attachmentStore,
    });
    expect(header.tables.find((t) => t.name === 'attachment_chunks')?.rows).toBeGreaterThan(1);
    // The export is not sealed as a whole; the file inside it is, under the visitor's key.
    expect(gunzipSync(readFileSync(file)).includes(Buffer.from(marker))).toBe(false);
    return file;
  };

  it('an import into a fresh SQLite, with no files at all, opens the file', async () => {
    const file = await dumped();
    const target = await createTestDatabase('sqlite');
    const handle = target.open();
    try {
      await migrateToLatest(handle.db);
      await importDatabase({ db: handle.db, dialect: 'sqlite', file });
      const opened = await readAttachment(
        { db: handle.db, vault: s.server.app.vault, store: fileStore(join(dir, 'empty-store')) },
        { workspaceId: s.admin.workspaceId, attachmentId: id },
      );
      expect(opened.row.name).toBe('delivery.txt');
      expect((await collect(opened.content)).equals(content)).toBe(true);
    } finally {
      await handle.close();
      await target.drop();
    }
  });

  it.runIf(hasPostgres)('an import into PostgreSQL opens it from the shared database', async () => {
    const file = await dumped();
    const target = await createTestDatabase('postgres');
    const handle = target.open();
    try {
      await migrateToLatest(handle.db, target.schema);
      await importDatabase({ db: handle.db, dialect: 'postgres', file });
      const { createAttachmentStore } = await import('./attachment-store.js');
      const store = createAttachmentStore({ dataDir: dir, database: { kind: 'postgres', url: 'unused' } });
      const opened = await readAttachment(
        { db: handle.db, vault: s.server.app.vault, store },
        { workspaceId: s.admin.workspaceId, attachmentId: id },
      );
      expect((await collect(opened.content)).equals(content)).toBe(true);
    } finally {
      await handle.close();
      await target.drop();
    }
  });
});
