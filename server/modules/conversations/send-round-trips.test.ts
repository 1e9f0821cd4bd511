import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Author } from '../../../protocol/common.js';
import { countedPostgres } from '../../../test/support/counted-postgres.js';
import { hasPostgres } from '../../../test/support/services.js';
import type { TcpProxy } from '../../../test/support/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-server.js';
import { seedConversation } from '../../cli/measured-conversation.js';
import { KeyRing, newMasterKey } from '../../platform/crypto/key-ring.js';
import type { DbHandle } from '../../platform/db/create-db.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { directTransaction } from '../../platform/db/prepared.js';
import { createMemoryPubSub } from '../../platform/pubsub/memory-pubsub.js';
import { registerReplyTracking } from '../email/track-replies.js';
import { Vault } from '../encryption/vault.js';
import { registerQueryTracking } from '../handoff/track-query-activity.js';
import { MessageStream } from './message-stream.js';
import { registerReadCursors } from './read-cursors.js';
import { registerVisitorReopens } from './reopen-on-visitor-message.js';
import { storeMessage } from './store-message.js';

/**
 * On PostgreSQL a message's send waits for two round trips, counted at a relay between the node and
 * the server: begin with the seq and the row, then the writes nobody reads before the commit with
 * the commit. That holds with the subscribers a send meets every day (the query's move, the bot's
 * owed turn, an agent's cursor and email thread), and each of their writes is in the database after.
 */
describe.runIf(hasPostgres || process.env.CI === 'true')('a send’s round trips (postgres)', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let handle: DbHandle;
  let conversationId: string;
  let vault: Vault;
  let stream: MessageStream;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    ({ proxy, handle } = await countedPostgres(database));
    await migrateToLatest(handle.db, database.schema);
    conversationId = await seedConversation(handle.db);
    vault = new Vault(new KeyRing({ kind: 'env', keys: [] }, [newMasterKey()]), { cacheSize: 100 });
    const pubsub = createMemoryPubSub();
    stream = new MessageStream({ db: handle.db, log: pino({ level: 'silent' }), node: 'test' });
    registerQueryTracking(stream);
    registerVisitorReopens(stream, { pubsub });
    registerReadCursors(stream, { pubsub });
    registerReplyTracking(stream);
    stream.owe('bot', { wants: ({ message }) => message.author_kind === 'visitor', handle: async () => {} });
  });
  afterAll(async () => {
    await handle?.close();
    await proxy?.close();
    await database?.drop();
  });

  /** Sends and returns the round trips its transaction waited for. */
  const send = async (author: Author, clientId: string) => {
    const key = await vault.forConversation(handle.db, conversationId);
    if (!key) throw new Error('no key');
    const before = proxy.turns();
    const stored = await directTransaction(handle.db, (trx) =>
      storeMessage(trx, { key, stream, conversationId, author, clientId, body: 'Where is my parcel?' }),
    );
    const trips = proxy.turns() - before;
    return { trips, owed: await stored.owed, message: stored.message };
  };
  const query = () =>
    handle.db
      .selectFrom('queries')
      .select(['id', 'state', 'first_response_at'])
      .where('conversation_id', '=', conversationId)
      .executeTakeFirstOrThrow();
  const events = async () =>
    (
      await handle.db
        .selectFrom('query_events')
        .select('kind')
        .where('query_id', '=', (await query()).id)
        .orderBy('occurred_at')
        .execute()
    ).map((e) => e.kind);

  it('a visitor’s message that owes the bot a turn: two round trips, the turn recorded and leased', async () => {
    const visitor: Author = { kind: 'visitor', id: 'visitor-1', name: 'Visitor' };
    const { trips, owed, message } = await send(visitor, 'round-trip-visitor-1');
    expect(trips).toBe(2);
    expect(owed).toEqual([{ id: expect.any(String), subscriber: 'bot' }]);
    const turn = await handle.db
      .selectFrom('message_outbox')
      .select(['subscriber', 'lease_owner'])
      .where('message_id', '=', message.id)
      .executeTakeFirstOrThrow();
    expect(turn).toEqual({ subscriber: 'bot', lease_owner: 'test' });
    expect((await query()).state).toBe('assigned');
  });

  it('the assignee’s first reply: two round trips; the query waits on the visitor, the cursor and the email thread move', async () => {
    const agent: Author = { kind: 'agent', id: 'agent', name: 'Ana' };
    const { trips, owed, message } = await send(agent, 'round-trip-agent-01');
    expect(trips).toBe(2);
    expect(owed).toEqual([]);
    expect(await query()).toMatchObject({
      state: 'waiting_on_visitor',
      first_response_at: message.created_at,
    });
    expect(await events()).toEqual(['waiting_on_visitor']);
    const cursor = await handle.db
      .selectFrom('read_cursors')
      .select(['read_seq'])
      .where('conversation_id', '=', conversationId)
      .where('reader_id', '=', 'agent')
      .executeTakeFirstOrThrow();
    expect(cursor.read_seq).toBe(message.seq);
    const thread = await handle.db
      .selectFrom('email_threads')
      .select('pending_since')
      .where('conversation_id', '=', conversationId)
      .executeTakeFirstOrThrow();
    expect(thread.pending_since).toBe(message.created_at);
  });

  it('the visitor’s answer: two round trips, and the query is back with its assignee', async () => {
    const visitor: Author = { kind: 'visitor', id: 'visitor-1', name: 'Visitor' };
    const { trips } = await send(visitor, 'round-trip-visitor-2');
    expect(trips).toBe(2);
    expect((await query()).state).toBe('assigned');
    expect(await events()).toEqual(['waiting_on_visitor', 'visitor_replied']);
  });
});
