import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWidget, setupAdmin, startVisitor } from '../../../test/support/clients.js';
import { hasPostgres } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { allocateSeqAndInsert, type MessageDraft } from './send.repository.js';

/**
 * The seq and the row in one statement (PostgreSQL's WITH): the same outcomes as the UPDATE then the
 * INSERT it replaces. Each call here commits on its own; in a send, a refusal rolls the seq back.
 */
describe.runIf(hasPostgres)('the seq and the row in one statement (postgres)', () => {
  let database: TestDatabase;
  let server: TestServer;
  let conversationId: string;
  const at = '2026-12-06T23:00:00.000Z';
  const draft = (clientId: string, kind: MessageDraft['author_kind'] = 'visitor'): MessageDraft => ({
    id: `m-${clientId}`,
    conversation_id: conversationId,
    client_id: clientId,
    author_kind: kind,
    author_id: 'a1',
    author_name: 'Ada',
    body: 'sealed body',
    created_at: at,
    structured: null,
    action_ref: '{"seq":1,"id":"yes"}',
  });
  const send = (row: MessageDraft) =>
    allocateSeqAndInsert(server.app.db, { at, preview: 'sealed preview', authorKind: row.author_kind, row });
  const conversation = () =>
    server.app.db
      .selectFrom('conversations')
      .select(['last_seq', 'last_visitor_seq', 'last_message_at', 'last_message_preview', 'workspace_id'])
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
  const rows = () =>
    server.app.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('client_id', 'like', 'k%')
      .orderBy('seq')
      .execute();

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    server = await startTestServer({ database });
    const admin = await setupAdmin(server);
    conversationId = (await startVisitor(server, await createWidget(server, admin))).conversationId;
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it('takes the next seq and writes the row with it; a visitor’s moves their read cursor too', async () => {
    const before = await conversation();
    const sent = await send(draft('k1'));
    expect(sent?.inserted).toBe(true);
    expect(sent?.conversation).toMatchObject({ id: conversationId, last_seq: before.last_seq + 1 });
    expect(await conversation()).toMatchObject({
      last_seq: before.last_seq + 1,
      last_visitor_seq: before.last_seq + 1,
      last_message_at: at,
      last_message_preview: 'sealed preview',
    });
    const agent = await send(draft('k2', 'agent'));
    expect(agent?.inserted).toBe(true);
    // An agent's message leaves the visitor's read cursor where it was.
    expect(await conversation()).toMatchObject({
      last_seq: before.last_seq + 2,
      last_visitor_seq: before.last_seq + 1,
    });
    expect(await rows()).toEqual([
      expect.objectContaining({
        id: 'm-k1',
        seq: before.last_seq + 1,
        workspace_id: before.workspace_id,
        body: 'sealed body',
        action_ref: '{"seq":1,"id":"yes"}',
        structured: null,
      }),
      expect.objectContaining({ id: 'm-k2', seq: before.last_seq + 2, author_kind: 'agent' }),
    ]);
  });

  it('writes no row for a client id the conversation already has, nor into a closed conversation', async () => {
    const again = await send({ ...draft('k1'), id: 'm-k1-again' });
    expect(again?.inserted).toBe(false);
    await server.app.db
      .updateTable('conversations')
      .set({ status: 'closed' })
      .where('id', '=', conversationId)
      .execute();
    const closed = await send(draft('k3'));
    expect(closed).toMatchObject({ inserted: false, conversation: { status: 'closed' } });
    expect((await rows()).map((r) => r.id)).toEqual(['m-k1', 'm-k2']);
  });

  it('finds no conversation for an unknown id', async () => {
    expect(await send({ ...draft('k4'), conversation_id: 'no-such-conversation' })).toBeUndefined();
  });
});
