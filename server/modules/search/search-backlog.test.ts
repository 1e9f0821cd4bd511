import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectVisitor, http, startVisitor } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { WorkerClient } from '../../platform/workers/worker-client.js';
import { type IndexWorker, indexBacklog } from './index-backlog.js';
import { indexedTerms } from './index-policy.js';
import { dropFromIndex, messagesWithWord, termsRemain } from './search-index.repository.js';
import { TermHasher } from './term-hasher.js';

/**
 * The message's transaction only notes a message for the index; the indexer takes the backlog in
 * batches. What must hold: the backlog row commits with the message, every waiting message is
 * indexed once (by the background indexer alone, or by a search that comes first), and a message
 * erased before it was indexed leaves nothing behind.
 */
describe.each(DIALECTS)('search backlog (%s)', (dialect) => {
  let s: Scenario;
  const ws = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  const db = () => s.server.db.db;
  const backlog = async () =>
    Number(
      (
        await db()
          .selectFrom('search_backlog')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const found = async (q: string) => {
    const res = await http(s.server, 'GET', `${ws()}/search/conversations?q=${q}`, {
      cookie: s.admin.cookie,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.items as Array<{ id: string }>).map((c) => c.id);
  };

  const worker: IndexWorker = new WorkerClient(
    new URL('./index-worker.js', import.meta.url),
    'search index worker',
  );
  const deps = () => ({ db: db(), vault: s.server.app.vault, worker });

  beforeAll(async () => {
    s = await startScenario(dialect);
  });
  afterAll(async () => {
    await worker.close();
    await s?.close();
  });

  it('indexes what visitors write in the background, each message once', async () => {
    const v = await connectVisitor(s.server, s.visitor.credential);
    for (let i = 0; i < 12; i += 1) {
      v.sendMessage(s.visitor.conversationId, `canoe number${i}`);
      await v.until((p) => p.of('message.ack').length > i, `ack ${i}`);
    }
    v.close();
    // No search asks for it: the indexer empties the backlog by itself.
    await expect.poll(backlog, { timeout: 15_000 }).toBe(0);
    const h = new TermHasher(await s.server.app.vault.searchKey(db(), s.admin.workspaceId));
    const canoe = await messagesWithWord(db(), h.word('canoe'));
    expect(canoe).toHaveLength(12);
    expect(new Set(canoe).size).toBe(12);
    // Running it again finds nothing to do.
    expect(await indexBacklog(deps(), { limit: 50 })).toBe(0);
    expect(await found('number11')).toEqual([s.visitor.conversationId]);
  });

  it('finds a message the moment it is acked, and indexers running together write each message once', async () => {
    const visitor = await startVisitor(s.server, s.widget);
    const base = `${ws()}/conversations/${visitor.conversationId}/messages`;
    for (let i = 0; i < 30; i += 1) {
      const sent = await http(s.server, 'POST', base, {
        cookie: s.admin.cookie,
        body: { clientId: `backlog-reply-${String(i).padStart(4, '0')}`, body: `paddle reply${i}` },
      });
      expect(sent.status).toBe(201);
    }
    // Searched at once: the search takes what is still waiting first.
    expect(await found('reply29')).toEqual([visitor.conversationId]);
    // As if none of it were indexed yet, four indexers read the same waiting rows at once (on
    // PostgreSQL on four connections): each message's terms are written once, and the backlog empties.
    await dropFromIndex(db(), visitor.conversationId);
    const stored = await db()
      .selectFrom('messages')
      .select(['id', 'created_at'])
      .where('conversation_id', '=', visitor.conversationId)
      .where('author_kind', '=', 'agent')
      .execute();
    expect(stored).toHaveLength(30);
    await db()
      .insertInto('search_backlog')
      .values(
        stored.map((m) => ({
          message_id: m.id,
          conversation_id: visitor.conversationId,
          workspace_id: s.admin.workspaceId,
          created_at: m.created_at,
        })),
      )
      .execute();
    await Promise.all([1, 2, 3, 4].map(() => indexBacklog(deps(), { limit: 30 })));
    await expect.poll(backlog, { timeout: 15_000 }).toBe(0);
    const h = new TermHasher(await s.server.app.vault.searchKey(db(), s.admin.workspaceId));
    const paddle = await messagesWithWord(db(), h.word('paddle'), visitor.conversationId);
    expect(paddle).toHaveLength(30);
    expect(new Set(paddle).size).toBe(30);
  });

  it('a message erased before it was indexed leaves no backlog row and no term', async () => {
    const visitor = await startVisitor(s.server, s.widget);
    const sent = await http(s.server, 'POST', `${ws()}/conversations/${visitor.conversationId}/messages`, {
      cookie: s.admin.cookie,
      body: { clientId: 'backlog-erased-0001', body: 'kayak for erasure' },
    });
    expect(sent.status).toBe(201);
    // Put it back in the backlog, as if the indexer had not run yet, then erase the visitor.
    await dropFromIndex(db(), visitor.conversationId);
    const message = await db()
      .selectFrom('messages')
      .select(['id', 'created_at'])
      .where('conversation_id', '=', visitor.conversationId)
      .where('author_kind', '=', 'agent')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('search_backlog')
      .values({
        message_id: message.id,
        conversation_id: visitor.conversationId,
        workspace_id: s.admin.workspaceId,
        created_at: message.created_at,
      })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .execute();
    const erased = await http(s.server, 'DELETE', `${ws()}/visitors/${visitor.visitor.id}`, {
      cookie: s.admin.cookie,
      body: {},
    });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(
      await db()
        .selectFrom('search_backlog')
        .select('message_id')
        .where('message_id', '=', message.id)
        .execute(),
    ).toEqual([]);
    const h = new TermHasher(await s.server.app.vault.searchKey(db(), s.admin.workspaceId));
    expect(await messagesWithWord(db(), h.word('kayak'), visitor.conversationId)).toEqual([]);
    expect(await found('erasure')).toEqual([]);
  });

  it('erasing a visitor takes their words out of the index itself, not only out of the results', async () => {
    const visitor = await startVisitor(s.server, s.widget);
    const body = 'zanzibarian quokkafold';
    const v = await connectVisitor(s.server, visitor.credential);
    v.sendMessage(visitor.conversationId, body);
    await v.until((p) => p.of('message.ack').length > 0, 'ack');
    v.close();
    expect(await found('quokkafold')).toEqual([visitor.conversationId]);
    const h = new TermHasher(await s.server.app.vault.searchKey(db(), s.admin.workspaceId));
    const hashes = indexedTerms(body).map((t) => (t.kind === 'word' ? h.word(t.term) : h.prefix(t.term)));
    expect(hashes.length).toBeGreaterThan(4);
    expect(await termsRemain(db(), hashes)).toBe(true);
    const erased = await http(s.server, 'DELETE', `${ws()}/visitors/${visitor.visitor.id}`, {
      cookie: s.admin.cookie,
      body: {},
    });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    // On SQLite: FTS5's own term list (secure-delete); a tombstoned document would still list them.
    expect(await termsRemain(db(), hashes)).toBe(false);
    expect(await found('quokkafold')).toEqual([]);
  });
});
