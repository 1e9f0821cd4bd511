import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startVisitor } from '../../../test/support/clients.js';
import { rawOccurrences } from '../../../test/support/raw-data.js';
import {
  docx,
  jpegWithExif,
  pdf,
  png,
  svgWithScript,
  windowsExecutable,
} from '../../../test/support/sample-files.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { AppError } from '../../errors.js';
import { DecryptionError } from '../../platform/crypto/envelope.js';
import { upsertAllowedKinds } from './attachment.repository.js';
import { readAttachment } from './read-attachment.js';
import { type AttachmentDeps, storeAttachment } from './store-attachment.js';
import { sweepAttachmentFiles } from './sweep-attachment-files.js';

async function collect(content: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of content) parts.push(part);
  return Buffer.concat(parts);
}

/** Every file under a directory, as bytes. */
function filesUnder(dir: string): Buffer[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [readFileSync(path)];
  });
}

/** A PNG header claiming 100 000 × 100 000 pixels over a few bytes of data: a decompression bomb. */
async function pixelBomb(): Promise<Buffer> {
  const small = await png(1, 1);
  const bomb = Buffer.from(small);
  bomb.writeUInt32BE(100_000, 16);
  bomb.writeUInt32BE(100_000, 20);
  bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)), 29);
  return bomb;
}

/**
 * Storing attachments: the kind from the content against the workspace's list, images re-encoded
 * without metadata and within a pixel bound, limits, and content sealed in chunks under the visitor's
 * data key, so neither the database nor the file store holds a byte of it in the clear, a chunk moved
 * or cut off does not open, and erasure leaves it unreadable.
 */
describe.each(DIALECTS)('attachments are checked and sealed at rest (%s)', (dialect) => {
  let s: Scenario;
  let deps: AttachmentDeps;
  const storeDir = () => join(s.server.config.dataDir, 'attachments');
  const store = (content: Buffer, fileName = 'file', conversationId = s.visitor.conversationId) =>
    storeAttachment(deps, {
      workspaceId: s.admin.workspaceId,
      conversationId,
      uploader: { kind: 'visitor', id: s.visitor.visitor.id },
      fileName,
      content,
    });
  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      return err instanceof AppError ? err.code : String(err);
    }
    return 'stored';
  };
  const count = async () => {
    const rows = await s.server.db.db.selectFrom('attachments').select('id').execute();
    const chunks = await s.server.db.db.selectFrom('attachment_chunks').select('idx').execute();
    return { rows: rows.length, chunks: chunks.length, files: filesUnder(storeDir()).length };
  };

  beforeAll(async () => {
    s = await startScenario(dialect);
    deps = {
      db: s.server.app.db,
      vault: s.server.app.vault,
      store: s.server.app.attachmentStore,
      limits: { ...s.server.config.attachments, maxFileBytes: 300_000, maxConversationBytes: 700_000 },
    };
  });
  afterAll(async () => s?.close());

  it('stores a file in sealed chunks, in the shared database on PostgreSQL and in files on SQLite', async () => {
    const marker = 'Tracking-QX7729-Wilhelmina';
    const content = Buffer.from(`${marker}\n`.repeat(5000));
    const stored = await store(content, `../secret/${marker}.txt`);
    expect(stored).toMatchObject({ name: `${marker}.txt`, kind: 'text', size_bytes: content.length });
    expect(stored.chunk_count).toBe(Math.ceil(content.length / 65536));
    const opened = await readAttachment(deps, { workspaceId: s.admin.workspaceId, attachmentId: stored.id });
    expect(opened.row.name).toBe(`${marker}.txt`);
    expect((await collect(opened.content)).equals(content)).toBe(true);

    expect(s.server.app.attachmentStore.kind).toBe(dialect === 'postgres' ? 'database' : 'files');
    const stats = await count();
    if (dialect === 'postgres') expect(stats.chunks).toBe(stored.chunk_count);
    else expect(stats.files).toBe(1);
    // Neither the database (its file and WAL, or every row) nor the file store holds the text or the name.
    expect(await rawOccurrences(s.database, [marker])).toEqual([]);
    for (const bytes of filesUnder(storeDir())) expect(bytes.includes(Buffer.from(marker))).toBe(false);
  });

  it('re-encodes images without their metadata (camera, GPS) and refuses a decompression bomb undecoded', async () => {
    const photo = await jpegWithExif(80, 60);
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const stored = await store(photo, 'holiday.jpg');
    expect(stored).toMatchObject({ kind: 'jpeg', width: 80, height: 60 });
    const { content } = await readAttachment(deps, {
      workspaceId: s.admin.workspaceId,
      attachmentId: stored.id,
    });
    const out = await collect(content);
    const meta = await sharp(out).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 80, height: 60 });
    expect(meta.exif).toBeUndefined();
    expect(out.includes(Buffer.from('SecretCam'))).toBe(false);
    expect(out.includes(Buffer.from('Model-GPS-7731'))).toBe(false);

    const before = await count();
    const started = Date.now();
    expect(await refusal(store(await pixelBomb(), 'bomb.png'))).toBe('attachment_image_too_large');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(
      await refusal(store(Buffer.concat([await png(), Buffer.from('x')]).subarray(0, 60), 'cut.png')),
    ).toBe('attachment_unreadable');
    expect(await count()).toEqual(before);
  });

  it('refuses what is not on the list, what is too large or empty, each with its code, storing nothing', async () => {
    const before = await count();
    expect(await refusal(store(svgWithScript(), 'cat.png'))).toBe('attachment_type_not_allowed');
    expect(await refusal(store(windowsExecutable(), 'invoice.pdf'))).toBe('attachment_type_not_allowed');
    expect(await refusal(store(Buffer.alloc(0), 'empty.txt'))).toBe('attachment_empty');
    expect(await refusal(store(Buffer.alloc(300_001, 0x61), 'big.txt'))).toBe('attachment_too_large');
    await upsertAllowedKinds(s.server.db.db, {
      workspaceId: s.admin.workspaceId,
      kinds: ['pdf'],
      at: new Date().toISOString(),
    });
    expect(await refusal(store(docx(), 'notes.docx'))).toBe('attachment_type_not_allowed');
    const invoice = await store(pdf(), 'invoice.exe');
    expect(invoice.name).toBe('invoice.exe.pdf');
    await upsertAllowedKinds(s.server.db.db, {
      workspaceId: s.admin.workspaceId,
      kinds: ['png', 'jpeg', 'gif', 'webp', 'pdf', 'text', 'docx', 'xlsx', 'pptx', 'odt'],
      at: new Date().toISOString(),
    });
    expect((await count()).rows).toBe(before.rows + 1);

    // The conversation's share: 700 000 bytes in all.
    const other = await startVisitor(s.server, s.widget);
    const slice = Buffer.alloc(299_000, 0x62);
    await store(slice, 'a.txt', other.conversationId);
    await store(slice, 'b.txt', other.conversationId);
    expect(await refusal(store(slice, 'c.txt', other.conversationId))).toBe('attachment_conversation_full');
    const quota = { ...deps, limits: { ...deps.limits, workspaceQuotaBytes: 700_000 } };
    expect(
      await refusal(
        storeAttachment(quota, {
          workspaceId: s.admin.workspaceId,
          conversationId: s.visitor.conversationId,
          uploader: { kind: 'visitor', id: s.visitor.visitor.id },
          content: Buffer.from('one more'),
        }),
      ),
    ).toBe('attachment_quota_exceeded');
  });

  it('does not open a chunk moved to another attachment or a file cut short', async () => {
    const size = 65536;
    const a = await store(Buffer.alloc(size * 2 + 10, 0x41), 'a.txt');
    const b = await store(Buffer.alloc(size * 2 + 10, 0x42), 'b.txt');
    const read = (id: string) => readAttachment(deps, { workspaceId: s.admin.workspaceId, attachmentId: id });
    const sealedOf = async (id: string, n: number) => {
      const out: Buffer[] = [];
      for await (const c of s.server.app.attachmentStore.read(s.server.db.db, id, n)) out.push(c);
      return out;
    };
    const chunksA = await sealedOf(a.id, 3);
    const chunksB = await sealedOf(b.id, 3);
    const moved = {
      ...deps.store,
      read: async function* () {
        yield chunksA[0] as Buffer;
        yield chunksB[1] as Buffer;
        yield chunksA[2] as Buffer;
      },
    };
    const swap = await readAttachment(
      { ...deps, store: moved },
      { workspaceId: s.admin.workspaceId, attachmentId: a.id },
    );
    await expect(collect(swap.content)).rejects.toBeInstanceOf(DecryptionError);
    // Cut after the second chunk: the chunk now last was not sealed as the last one.
    const cut = {
      ...deps.store,
      read: async function* () {
        yield chunksA[0] as Buffer;
        yield chunksA[1] as Buffer;
      },
    };
    const row = await s.server.db.db
      .selectFrom('attachments')
      .selectAll()
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    await s.server.db.db.updateTable('attachments').set({ chunk_count: 2 }).where('id', '=', a.id).execute();
    const truncated = await readAttachment(
      { ...deps, store: cut },
      { workspaceId: s.admin.workspaceId, attachmentId: a.id },
    );
    await expect(collect(truncated.content)).rejects.toBeInstanceOf(DecryptionError);
    await s.server.db.db
      .updateTable('attachments')
      .set({ chunk_count: row.chunk_count })
      .where('id', '=', a.id)
      .execute();
    expect((await collect((await read(a.id)).content)).length).toBe(size * 2 + 10);
    // Another workspace's id finds nothing.
    await expect(
      readAttachment(deps, { workspaceId: s.widget.id, attachmentId: a.id }),
    ).rejects.toMatchObject({
      code: 'attachment_not_found',
    });
  });

  it('erasure shreds the key: the sealed chunks no longer open, rows go, and the sweep removes the files', async () => {
    const visitor = await startVisitor(s.server, s.widget);
    const stored = await store(Buffer.from('erase me please'), 'mine.txt', visitor.conversationId);
    const sealed: Buffer[] = [];
    for await (const c of s.server.app.attachmentStore.read(s.server.db.db, stored.id, stored.chunk_count))
      sealed.push(c);
    const res = await http(
      s.server,
      'DELETE',
      `/api/v1/workspaces/${s.admin.workspaceId}/visitors/${visitor.visitor.id}`,
      {
        cookie: s.admin.cookie,
        body: {},
      },
    );
    expect(res.status).toBe(200);
    const key = await s.server.db.db
      .selectFrom('data_keys')
      .select('id')
      .where('id', '=', visitor.visitor.id)
      .execute();
    expect(key).toEqual([]);
    await expect(
      readAttachment(deps, { workspaceId: s.admin.workspaceId, attachmentId: stored.id }),
    ).rejects.toMatchObject({
      code: 'attachment_not_found',
    });
    const chunks = await s.server.db.db
      .selectFrom('attachment_chunks')
      .select('idx')
      .where('attachment_id', '=', stored.id)
      .execute();
    expect(chunks).toEqual([]);
    const filesBefore = filesUnder(storeDir()).length;
    await sweepAttachmentFiles({
      db: s.server.db.db,
      store: deps.store,
      now: new Date(Date.now() + 3_600_000),
    });
    if (dialect === 'sqlite') expect(filesUnder(storeDir()).length).toBe(filesBefore - 1);
    expect(sealed.length).toBe(1);
  });

  it('refuses files for a closed conversation; the sweep removes uploads no message took within a day', async () => {
    const visitor = await startVisitor(s.server, s.widget);
    const waiting = await store(Buffer.from('never sent'), 'draft.txt', visitor.conversationId);
    const closed = await http(
      s.server,
      'PATCH',
      `/api/v1/workspaces/${s.admin.workspaceId}/conversations/${visitor.conversationId}`,
      { cookie: s.admin.cookie, body: { status: 'closed' } },
    );
    expect(closed.status).toBe(204);
    expect(await refusal(store(Buffer.from('too late'), 'late.txt', visitor.conversationId))).toBe(
      'conversation_closed',
    );
    await sweepAttachmentFiles({
      db: s.server.db.db,
      store: deps.store,
      now: new Date(Date.now() + 3_600_000),
    });
    expect(
      (await readAttachment(deps, { workspaceId: s.admin.workspaceId, attachmentId: waiting.id })).row.id,
    ).toBe(waiting.id);
    await sweepAttachmentFiles({
      db: s.server.db.db,
      store: deps.store,
      now: new Date(Date.now() + 25 * 3_600_000),
    });
    await expect(
      readAttachment(deps, { workspaceId: s.admin.workspaceId, attachmentId: waiting.id }),
    ).rejects.toMatchObject({ code: 'attachment_not_found' });
    expect(await count()).toEqual({ rows: 0, chunks: 0, files: 0 });
  });
});
