import { mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../config.js';
import type { Executor } from '../../platform/db/schema.js';
import { findChunk, insertChunks } from './attachment.repository.js';

/**
 * Where the sealed chunks of attachments live. The row (`attachments`) is always in the database; the
 * chunks are files under the data directory on the embedded SQLite default, and rows of
 * `attachment_chunks` on PostgreSQL, which every node shares. Chunks are sealed before they get here:
 * a store only ever holds ciphertext.
 */
export interface AttachmentStore {
  readonly kind: 'files' | 'database';
  /**
   * Stores every chunk of one attachment. The database store writes within `db` (the transaction that
   * inserts the row); the file store writes a temporary file and renames it, so a reader never finds
   * half a file, and `discard` removes it when the row's transaction does not commit.
   */
  write(db: Executor, ref: { id: string; workspaceId: string }, chunks: Buffer[]): Promise<void>;
  discard(id: string): Promise<void>;
  /** The sealed chunks in order; `count` is the row's chunk count. */
  read(db: Executor, id: string, count: number): AsyncIterable<Buffer>;
  /**
   * Removes files older than `olderThanMs` (epoch) whose id `live` does not return: deleted
   * attachments, abandoned `.part` files. The database store deletes chunks with their rows: nothing to do.
   */
  sweep(o: { olderThanMs: number; live: (ids: string[]) => Promise<Set<string>> }): Promise<number>;
}

export function createAttachmentStore(config: Pick<Config, 'dataDir' | 'database'>): AttachmentStore {
  return config.database.kind === 'postgres'
    ? databaseStore()
    : fileStore(join(config.dataDir, 'attachments'));
}

function databaseStore(): AttachmentStore {
  return {
    kind: 'database',
    write: (db, ref, chunks) =>
      insertChunks(db, { attachmentId: ref.id, workspaceId: ref.workspaceId, chunks }),
    discard: async () => {},
    async *read(db, id, count) {
      for (let idx = 0; idx < count; idx += 1) {
        const chunk = await findChunk(db, id, idx);
        if (!chunk) throw new Error(`chunk ${idx} of attachment ${id} is missing`);
        yield chunk;
      }
    },
    sweep: async () => 0,
  };
}

const ID = /^[0-9a-f-]{36}$/;

/** Files `<dir>/<first two of id>/<id>`: each chunk as a 4-byte big-endian length and the sealed bytes. */
export function fileStore(dir: string): AttachmentStore {
  const pathOf = (id: string) => {
    if (!ID.test(id)) throw new Error('not an attachment id');
    return join(dir, id.slice(0, 2), id);
  };
  return {
    kind: 'files',
    async write(_db, ref, chunks) {
      const path = pathOf(ref.id);
      await mkdir(join(dir, ref.id.slice(0, 2)), { recursive: true, mode: 0o700 });
      const framed: Buffer[] = [];
      for (const chunk of chunks) {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(chunk.length);
        framed.push(length, chunk);
      }
      const temporary = `${path}.part`;
      try {
        await writeFile(temporary, Buffer.concat(framed), { mode: 0o600, flush: true });
        await rename(temporary, path);
      } catch (err) {
        await rm(temporary, { force: true });
        throw err;
      }
    },
    async discard(id) {
      await rm(pathOf(id), { force: true });
    },
    async *read(db, id, count) {
      const file = await open(pathOf(id), 'r').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null;
        throw err;
      });
      // Restored or imported from a dump, the chunks are rows until they are written out again.
      if (!file) {
        yield* databaseStore().read(db, id, count);
        return;
      }
      try {
        let position = 0;
        for (let idx = 0; idx < count; idx += 1) {
          const head = Buffer.alloc(4);
          const { bytesRead } = await file.read(head, 0, 4, position);
          if (bytesRead < 4) throw new Error(`chunk ${idx} of attachment ${id} is missing`);
          const length = head.readUInt32BE(0);
          const chunk = Buffer.alloc(length);
          const got = await file.read(chunk, 0, length, position + 4);
          if (got.bytesRead < length) throw new Error(`chunk ${idx} of attachment ${id} is truncated`);
          position += 4 + length;
          yield chunk;
        }
      } finally {
        await file.close();
      }
    },
    async sweep(o) {
      let removed = 0;
      for (const bucket of await readdir(dir).catch(() => [] as string[])) {
        const names: string[] = [];
        for (const name of await readdir(join(dir, bucket)).catch(() => [] as string[])) {
          const info = await stat(join(dir, bucket, name)).catch(() => null);
          if (info && info.mtimeMs < o.olderThanMs) names.push(name);
        }
        const live = await o.live(names.filter((n) => ID.test(n)));
        for (const name of names.filter((n) => !live.has(n))) {
          await rm(join(dir, bucket, name), { force: true });
          removed += 1;
        }
      }
      return removed;
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Where attachments' sealed chunks are kept (files, or the shared database). */
    attachmentStore: AttachmentStore;
  }
}
