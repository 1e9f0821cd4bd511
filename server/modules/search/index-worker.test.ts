import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessagesTable } from '../../platform/db/schema.js';
import { WorkerClient } from '../../platform/workers/worker-client.js';
import { sealMessageRow } from '../encryption/message-cipher.js';
import { VisitorKey } from '../encryption/visitor-key.js';
import { ftsToken } from './fts-token.js';
import type { IndexWorker } from './index-backlog.js';
import { messageTerms } from './index-message.js';
import { type PrepareRequest, prepareIndex } from './prepare-index.js';
import { TermHasher } from './term-hasher.js';

/**
 * The indexer's worker thread indexes a message exactly as the event loop would (a search hashes
 * its query here and must find what the worker indexed), keeps requests apart, and fails clearly
 * once closed.
 */
describe('the search index worker', () => {
  let worker: IndexWorker;
  const start = () => {
    worker = new WorkerClient(new URL('./index-worker.js', import.meta.url), 'search index worker');
    return worker;
  };
  afterEach(async () => worker?.close());

  const visitorKey = new VisitorKey('visitor-1', 'ws-1', randomBytes(32));
  const texts = [
    'Where is my refund? Order 4711, mail jane.doe@example.com or call +44 20 7946 0958',
    'Größe und Café: naïve façade, 日本語のテキスト',
    'ok',
  ];
  const rows: MessagesTable[] = texts.map(
    (body, i) =>
      ({
        id: `msg-${i}`,
        workspace_id: 'ws-1',
        conversation_id: 'conv-1',
        author_kind: i === 2 ? 'agent' : 'visitor',
        author_id: null,
        body,
        attachments: null,
        client_id: null,
        seq: i + 1,
        created_at: '2026-12-06T00:00:00.000Z',
      }) as unknown as MessagesTable,
  );
  const request = (searchKey: Buffer): PrepareRequest => ({
    searchKey: new Uint8Array(searchKey),
    messages: rows.map((row) => ({
      message: sealMessageRow(visitorKey, row),
      key: { visitorId: visitorKey.visitorId, bytes: visitorKey.copyForWorker() },
    })),
  });

  it('gives exactly the terms the event loop makes, for each key', async () => {
    start();
    const keys = [randomBytes(32), randomBytes(32)];
    const [a, b] = await Promise.all(keys.map((key) => worker.request(request(key))));
    for (const [key, out] of [
      [keys[0], a],
      [keys[1], b],
    ] as const) {
      const onLoop = rows.map((row) => messageTerms(new TermHasher(key as Buffer), row));
      expect(out?.map((m) => m.document)).toEqual(
        onLoop.map((terms) => terms.map((t) => ftsToken(t.term_hash, t.personal === 1)).join(' ')),
      );
      expect(out?.[0]?.document.split(' ').length).toBeGreaterThan(20);
    }
    expect(a).not.toEqual(b);
    expect(a).toEqual(prepareIndex(request(keys[0] as Buffer)));
    // The email is personal, "refund" is not: the masking layer's split holds on the worker too.
    const hasher = new TermHasher(keys[0] as Buffer);
    const tokens = a?.[0]?.document.split(' ') ?? [];
    expect(tokens).toContain(ftsToken(hasher.word('jane.doe@example.com'), true));
    expect(tokens).not.toContain(ftsToken(hasher.word('jane.doe@example.com'), false));
    expect(tokens).toContain(ftsToken(hasher.word('refund'), false));
  });

  it('indexes nothing of an erased visitor, and fails a message that does not decrypt', async () => {
    start();
    const req = request(randomBytes(32));
    const erased = await worker.request({ ...req, messages: req.messages.map((m) => ({ ...m, key: null })) });
    expect(erased.map((m) => m.document)).toEqual(['', '', '']);
    const wrongKey = { visitorId: 'visitor-1', bytes: new Uint8Array(randomBytes(32)) };
    await expect(
      worker.request({ ...req, messages: req.messages.map((m) => ({ ...m, key: wrongKey })) }),
    ).rejects.toThrow(/does not decrypt/);
    // The worker is still there for the next batch.
    expect((await worker.request(req)).length).toBe(3);
  });

  it.runIf(existsSync('/proc/thread-self'))(
    'runs at the lowest CPU priority, behind the event loop',
    async () => {
      const lowered = () =>
        readdirSync('/proc/self/task').filter((t) => {
          const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
          // Fields after the command's closing parenthesis; nice is the 19th field of the whole line.
          return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16] === '19';
        }).length;
      const before = lowered();
      start();
      await worker.request(request(randomBytes(32)));
      expect(lowered()).toBe(before + 1);
    },
  );

  it('refuses work once closed, and fails what was still pending', async () => {
    start();
    const req = request(randomBytes(32));
    const pending = worker.request({
      ...req,
      messages: Array.from({ length: 300 }, () => req.messages[0]),
    } as PrepareRequest);
    const failed = expect(pending).rejects.toThrow(/closed/);
    await worker.close();
    await failed;
    await expect(worker.request(req)).rejects.toThrow(/closed/);
  });
});
