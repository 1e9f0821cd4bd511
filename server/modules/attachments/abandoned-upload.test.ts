import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWidget, setupAdmin, startVisitor } from '../../../test/support/clients.js';
import { pdf } from '../../../test/support/sample-files.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { SWEEP_GRACE_MS, sweepAttachmentFiles, UNSENT_MS } from './sweep-attachment-files.js';

function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Uploads that never finish or are never sent leave nothing behind: a body that stops arriving is cut
 * off by the request timeout (1 s here, 30 s in production) and stores nothing; a client that goes
 * away half way stores nothing; what a node that stopped mid-write left in the file store goes with
 * the sweep after its grace; an upload no message carried goes after a day.
 */
describe.each(DIALECTS)('uploads that stop half way or are never sent (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  let visitor: { credential: string; conversationId: string };
  const storeDir = () => join(server.config.dataDir, 'attachments');
  const stored = async () => ({
    rows: (await server.db.db.selectFrom('attachments').select('id').execute()).length,
    chunks: (await server.db.db.selectFrom('attachment_chunks').select('idx').execute()).length,
    files: filesUnder(storeDir()).length,
  });
  const path = () => `/api/v1/visitor/conversations/${visitor.conversationId}/attachments`;

  /** Sends the headers and the first half of a 200 KB file, then nothing more. */
  const halfUpload = () => {
    const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1');
    const whole = Buffer.from('A line of a support export.\n'.repeat(7300));
    socket.write(
      `POST ${path()} HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nOrigin: ${server.origin}\r\n` +
        `Authorization: Bearer ${visitor.credential}\r\nContent-Type: application/octet-stream\r\n` +
        `X-File-Name: export.txt\r\nContent-Length: ${whole.length}\r\n\r\n`,
    );
    socket.write(whole.subarray(0, whole.length / 2));
    let answer = '';
    socket.on('data', (d) => {
      answer += d.toString('latin1');
    });
    const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(answer)));
    socket.on('error', () => {});
    return { socket, closed };
  };
  const upload = async (bytes: Buffer) => {
    const res = await fetch(server.url + path(), {
      method: 'POST',
      headers: {
        origin: server.origin,
        authorization: `Bearer ${visitor.credential}`,
        'content-type': 'application/octet-stream',
        'x-file-name': 'order.pdf',
      },
      body: new Uint8Array(bytes),
    });
    return { status: res.status, json: (await res.json()) as any };
  };

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = await startTestServer({ database, requestTimeoutMs: 1000 });
    const admin = await setupAdmin(server);
    const session = await startVisitor(server, await createWidget(server, admin));
    visitor = { credential: session.credential, conversationId: session.conversationId };
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it('a body that stops arriving is answered 408 and its connection closed; no row, no file, before or after the sweep', async () => {
    const { closed } = halfUpload();
    const answer = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(await stored()).toEqual({ rows: 0, chunks: 0, files: 0 });
    await sweepAttachmentFiles({ db: server.db.db, store: server.app.attachmentStore });
    expect(await stored()).toEqual({ rows: 0, chunks: 0, files: 0 });
  });

  it('a client that goes away half way stores nothing, and the node goes on taking uploads', async () => {
    const { socket, closed } = halfUpload();
    socket.destroy();
    await closed;
    const whole = await upload(pdf());
    expect(whole.status).toBe(201);
    const after = await stored();
    expect(after.rows).toBe(1);
    expect(after.chunks + after.files).toBeGreaterThan(0);
  });

  it('an upload no message carried is kept for a day, then its row and its chunks go', async () => {
    const before = await stored();
    const waiting = await upload(pdf('Draft 3'));
    expect(waiting.status).toBe(201);
    const later = (ms: number) => new Date(Date.now() + ms);
    await sweepAttachmentFiles({
      db: server.db.db,
      store: server.app.attachmentStore,
      now: later(UNSENT_MS - 3_600_000),
    });
    expect((await stored()).rows).toBe(before.rows + 1);
    await sweepAttachmentFiles({
      db: server.db.db,
      store: server.app.attachmentStore,
      now: later(UNSENT_MS + 3_600_000),
    });
    expect(await stored()).toEqual({ rows: 0, chunks: 0, files: 0 });
  });

  it.runIf(dialect === 'sqlite')(
    'the sweep removes what a node that stopped mid-write left (a .part file, a file no row names), after their grace',
    async () => {
      const kept = await upload(pdf('Receipt'));
      expect(kept.status).toBe(201);
      const id = randomUUID();
      const bucket = join(storeDir(), id.slice(0, 2));
      mkdirSync(bucket, { recursive: true });
      writeFileSync(join(bucket, `${id}.part`), 'half of a sealed file');
      const orphan = randomUUID();
      mkdirSync(join(storeDir(), orphan.slice(0, 2)), { recursive: true });
      writeFileSync(join(storeDir(), orphan.slice(0, 2), orphan), 'a sealed file whose row never committed');
      expect((await stored()).files).toBe(3);

      // Younger than the grace: the upload writing them may still be on its way.
      await sweepAttachmentFiles({ db: server.db.db, store: server.app.attachmentStore });
      expect((await stored()).files).toBe(3);
      await sweepAttachmentFiles({
        db: server.db.db,
        store: server.app.attachmentStore,
        now: new Date(Date.now() + SWEEP_GRACE_MS + 60_000),
      });
      const left = filesUnder(storeDir());
      expect(left).toEqual([join(storeDir(), kept.json.id.slice(0, 2), kept.json.id)]);
    },
  );
});
