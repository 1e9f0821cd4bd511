import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Widget } from '../../../protocol/api.js';
import {
  connectVisitor,
  createWidget,
  http,
  type Probe,
  setupAdmin,
  startVisitor,
} from '../../../test/support/clients.js';
import { DIALECTS } from '../../../test/support/services.js';
import { type SpawnedNode, spawnNode } from '../../../test/support/spawned-node.js';
import { createTestDatabase, startTestServer, type TestDatabase } from '../../../test/support/test-server.js';
import { HANDOFF_MESSAGE } from '../handoff/request-handoff.js';

/**
 * The site's webhook bot, holding its first request open: the node that sent it has stored and
 * acked the visitor's message and waits for the reply. That is the window a crash must not lose.
 */
class HoldingSite {
  server!: Server;
  requests = 0;
  answer: Record<string, unknown> = { replies: [{ text: 'Answer from the site' }] };

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/bot`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    for await (const _ of req) {
      /* read the body */
    }
    this.requests += 1;
    if (this.requests === 1) return; // held: the node is killed while it waits
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(this.answer));
  }

  close() {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(r));
  }
}

const NODE_ENV = { PARLEY_EXTERNAL_BOT_ALLOW_PRIVATE: 'true', PARLEY_EXTERNAL_BOT_TIMEOUT_MS: '20000' };

describe.each(DIALECTS)('a bot turn survives the node that owed it (%s)', (dialect) => {
  let database: TestDatabase;
  let site: HoldingSite;
  let widget: Widget;
  const nodes: SpawnedNode[] = [];
  const probes: Probe[] = [];

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    site = new HoldingSite();
    const siteUrl = await site.start();
    // The workspace, a widget and its webhook bot, set up through the API of a node that then stops.
    const setup = await startTestServer({ database, env: NODE_ENV });
    const admin = await setupAdmin(setup);
    widget = await createWidget(setup, admin);
    const saved = await http(
      setup,
      'PUT',
      `/api/v1/workspaces/${admin.workspaceId}/widgets/${widget.id}/external-bot`,
      { cookie: admin.cookie, body: { enabled: true, url: siteUrl } },
    );
    expect(saved.status).toBe(200);
    await setup.close();
  });
  afterEach(async () => {
    for (const p of probes.splice(0)) p.close();
    for (const n of nodes.splice(0)) await n.kill();
    await site.close();
    await database.drop();
  });

  async function killedMidTurn() {
    const a = await spawnNode(database, { env: NODE_ENV });
    nodes.push(a);
    const session = await startVisitor(a, widget);
    const probe = await connectVisitor(a, session.credential, widget.allowedOrigins[0]);
    probes.push(probe);
    probe.send({ type: 'subscribe', conversationId: session.conversationId, afterSeq: 0 });
    await probe.next('subscribed');
    probe.sendMessage(session.conversationId, 'Where is my parcel?');
    expect((await probe.next('message.ack')).duplicate).toBe(false);
    // Acked, and the bot's turn has begun: the site holds the request. Now the node dies.
    await expect.poll(() => site.requests, { timeout: 15_000 }).toBe(1);
    await a.kill();
    const db = database.open();
    const replies = await db.db
      .selectFrom('messages')
      .select('body')
      .where('conversation_id', '=', session.conversationId)
      .where('author_kind', '=', 'bot')
      .where('client_id', 'not like', 'greeting_%')
      .execute();
    await db.close();
    expect(replies).toEqual([]);
    return session;
  }

  /** A node started after the crash reads the conversation and waits for what the bot owes. */
  async function watch(node: SpawnedNode, session: { credential: string; conversationId: string }) {
    const probe = await connectVisitor(node, session.credential, widget.allowedOrigins[0]);
    probes.push(probe);
    probe.send({ type: 'subscribe', conversationId: session.conversationId, afterSeq: 0 });
    await probe.next('subscribed');
    return probe;
  }

  async function storedBodies(conversationId: string) {
    const db = database.open();
    try {
      const rows = await db.db
        .selectFrom('messages')
        .select(['author_kind', 'client_id'])
        .where('conversation_id', '=', conversationId)
        .orderBy('seq')
        .execute();
      const owed = await db.db
        .selectFrom('message_outbox')
        .select('id')
        .where('conversation_id', '=', conversationId)
        .execute();
      const queries = await db.db
        .selectFrom('queries')
        .select('id')
        .where('conversation_id', '=', conversationId)
        .execute();
      return { rows, owed: owed.length, queries: queries.length };
    } finally {
      await db.close();
    }
  }

  it('answers a message acked just before a crash, once, after the restart', async () => {
    const session = await killedMidTurn();
    const b = await spawnNode(database, { env: NODE_ENV });
    nodes.push(b);
    const probe = await watch(b, session);
    const answered = () => probe.of('message.new').filter((f) => f.message.body === 'Answer from the site');
    await probe.until(() => answered().length === 1, 'the owed reply', 40_000);
    expect(site.requests).toBe(2);
    await expect
      .poll(async () => (await storedBodies(session.conversationId)).owed, { timeout: 10_000 })
      .toBe(0);
    const { rows } = await storedBodies(session.conversationId);
    // Bodies are sealed at rest: the greeting, the visitor's message and exactly one reply to it.
    expect(rows.map((r) => r.author_kind)).toEqual(['bot', 'visitor', 'bot']);
    expect(rows[2]?.client_id).toMatch(/^fl0_/);
    expect(answered()).toHaveLength(1);
  });

  it('hands off once when the owed turn asks for a person', async () => {
    site.answer = { replies: [], handoff: true };
    const session = await killedMidTurn();
    const b = await spawnNode(database, { env: NODE_ENV });
    nodes.push(b);
    const probe = await watch(b, session);
    await probe.until(
      () => probe.of('message.new').some((f) => f.message.body === HANDOFF_MESSAGE),
      'the handoff notice',
      40_000,
    );
    await expect
      .poll(async () => (await storedBodies(session.conversationId)).owed, { timeout: 10_000 })
      .toBe(0);
    const stored = await storedBodies(session.conversationId);
    expect(stored.queries).toBe(1);
    expect(stored.rows.filter((r) => r.client_id.startsWith('handoff_'))).toHaveLength(1);
    expect(probe.of('message.new').filter((f) => f.message.body === HANDOFF_MESSAGE)).toHaveLength(1);
  });

  it('never leaves a conversation without its greeting, whenever the node dies', async () => {
    const a = await spawnNode(database, { env: NODE_ENV });
    nodes.push(a);
    // Visitors arrive in a burst; the node is killed while their sessions are being created.
    const arrivals = Array.from({ length: 40 }, () => startVisitor(a, widget).then(() => 'started'));
    await Promise.race(arrivals);
    await a.kill();
    const outcomes = await Promise.allSettled(arrivals);
    expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
    const db = database.open();
    try {
      const conversations = await db.db
        .selectFrom('conversations')
        .leftJoin('messages', (join) =>
          join.onRef('messages.conversation_id', '=', 'conversations.id').on('messages.seq', '=', 1),
        )
        .select(['conversations.id', 'conversations.last_seq', 'messages.client_id'])
        .execute();
      expect(conversations.length).toBeGreaterThan(0);
      for (const c of conversations) {
        expect(c.last_seq).toBe(1);
        expect(c.client_id).toMatch(/^greeting_/);
      }
    } finally {
      await db.close();
    }
  });
});
