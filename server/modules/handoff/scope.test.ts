import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can } from '../../../protocol/permissions.js';
import {
  addAgent,
  connectAgent,
  connectVisitor,
  http,
  login,
  type Probe,
  type TestAgent,
} from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS, hasPostgres, hasRedis } from '../../../test/support/services.js';
import { createTestDatabase, startTestServer, type TestServer } from '../../../test/support/test-server.js';

/**
 * Writes are confined exactly like reads: an operator reaches no conversation, query or visitor of
 * another operator's work, whatever the method. The routes come from the catalog, so a new route
 * with a conversation, query or visitor in its path is covered by itself; it only needs an example
 * body below when it takes one (the test says so).
 */
const EXAMPLES: Record<string, (ids: { self: string }) => unknown> = {
  'POST /api/v1/workspaces/:workspaceId/conversations/:conversationId/messages': () => ({
    clientId: 'scope-check-0000000001',
    body: 'Not mine to answer',
  }),
  'POST /api/v1/workspaces/:workspaceId/conversations/:conversationId/notes': () => ({ body: 'Not mine' }),
  'POST /api/v1/workspaces/:workspaceId/conversations/:conversationId/email-follow-ups': () => ({
    clientId: 'scope-check-0000000002',
    body: 'Not mine to follow up',
  }),
  // Bytes on the wire; refused on scope before the body is read, whatever it is.
  'POST /api/v1/workspaces/:workspaceId/conversations/:conversationId/attachments': () =>
    new Uint8Array([110, 111]),
  'PATCH /api/v1/workspaces/:workspaceId/conversations/:conversationId': () => ({ status: 'closed' }),
  'PATCH /api/v1/workspaces/:workspaceId/visitors/:visitorId': () => ({ name: 'Renamed by someone else' }),
  'POST /api/v1/workspaces/:workspaceId/queries/:queryId/pick': () => ({}),
  'POST /api/v1/workspaces/:workspaceId/queries/:queryId/transfer': ({ self }) => ({ userId: self }),
  'POST /api/v1/workspaces/:workspaceId/queries/:queryId/resolve': () => ({ code: 'answered' }),
  'PUT /api/v1/workspaces/:workspaceId/conversations/:conversationId/labels/:labelId': () => ({}),
  'DELETE /api/v1/workspaces/:workspaceId/conversations/:conversationId/labels/:labelId': () => ({}),
  'POST /api/v1/workspaces/:workspaceId/conversations/:conversationId/resolve': () => ({}),
  'POST /api/v1/workspaces/:workspaceId/conversations/:conversationId/reopen': () => ({}),
  'POST /api/v1/workspaces/:workspaceId/conversations/:conversationId/pending': () => ({}),
  'POST /api/v1/workspaces/:workspaceId/conversations/:conversationId/snooze': () => ({ until: null }),
};
const HIDDEN = new Set(['conversation_not_found', 'query_not_found', 'visitor_not_found']);

describe.each(DIALECTS)('confinement of every route and socket action (%s)', (dialect) => {
  let s: Scenario;
  let ana: TestAgent;
  let ben: TestAgent;
  let queryId: string;
  let visitorId: string;
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;

  beforeAll(async () => {
    s = await startScenario(dialect);
    ana = await addAgent(s.server, s.admin.workspaceId, 'operator', 'ana@example.com');
    ben = await addAgent(s.server, s.admin.workspaceId, 'operator', 'ben@example.com');
    await http(s.server, 'POST', `${base()}/resolution-codes`, {
      cookie: s.admin.cookie,
      body: { code: 'answered', label: 'Answered' },
    });
    // No knowledge base: the visitor's first message queues the conversation for people; Ana takes it.
    const v = await connectVisitor(s.server, s.visitor.credential);
    v.sendMessage(s.visitor.conversationId, 'I need a person');
    await v.next('message.ack');
    v.close();
    for (let i = 0; i < 200; i += 1) {
      const queued = await http(s.server, 'GET', `${base()}/queries?view=queue`, { cookie: ana.cookie });
      if (queued.body.items.length > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const queue = (await http(s.server, 'GET', `${base()}/queries?view=queue`, { cookie: ana.cookie })).body;
    queryId = queue.items[0].id;
    visitorId = s.visitor.visitor.id;
    const picked = await http(s.server, 'POST', `${base()}/queries/${queryId}/pick`, {
      cookie: ana.cookie,
      body: {},
    });
    expect(picked.status).toBe(200);
  });
  afterAll(async () => s?.close());

  it('answers every route on another operator’s conversation as if it did not exist', async () => {
    const scoped = [...s.server.app.routeCatalog].filter(
      (r) =>
        r.method !== 'HEAD' &&
        r.access.kind === 'member' &&
        can('operator', r.access.permission) &&
        /:(conversationId|queryId|visitorId)\b/.test(r.url),
    );
    expect(scoped.length).toBeGreaterThan(8);
    // Closing changes the conversation for every later check: it goes last.
    scoped.sort(
      (a, b) =>
        Number(a.method === 'PATCH' && /conversationId$/.test(a.url)) -
        Number(b.method === 'PATCH' && /conversationId$/.test(b.url)),
    );
    const failures: string[] = [];
    for (const route of scoped) {
      const key = `${route.method} ${route.url}`;
      let body: unknown;
      if (route.method !== 'GET') {
        const example = EXAMPLES[key];
        if (!example && route.schema?.body) {
          failures.push(`${key}: add an example body to EXAMPLES`);
          continue;
        }
        body = example ? example({ self: ben.me.user.id }) : {};
        // The body must be valid, or the refusal below would prove nothing.
        if (route.schema?.body) expect(Value.Check(route.schema.body as never, body), key).toBe(true);
      }
      const url = route.url
        .replace(':workspaceId', s.admin.workspaceId)
        .replace(':conversationId', s.visitor.conversationId)
        .replace(':queryId', queryId)
        .replace(':visitorId', visitorId)
        // A label that does not exist: the conversation's scope is checked first, and it answers.
        .replace(':labelId', '00000000-0000-4000-8000-000000000000');
      const res = await http(s.server, route.method, url, {
        cookie: ben.cookie,
        ...(body !== undefined ? { body } : {}),
      });
      const code = res.body?.error?.code;
      if (res.status !== 404 || !HIDDEN.has(code)) failures.push(`${key}: got ${res.status} ${code ?? ''}`);
    }
    expect(failures).toEqual([]);
    // Nothing changed: the conversation is still open, Ana's, and holds no message from Ben.
    const state = await http(s.server, 'GET', `${base()}/conversations/${s.visitor.conversationId}`, {
      cookie: ana.cookie,
    });
    expect(state.body).toMatchObject({
      status: 'open',
      query: { assigneeId: ana.me.user.id, state: 'assigned' },
    });
  });

  it('refuses the socket actions too', async () => {
    const probe = await connectAgent(s.server, ben);
    for (const [i, frame] of [
      { type: 'subscribe', conversationId: s.visitor.conversationId, afterSeq: 0 },
      {
        type: 'message.send',
        conversationId: s.visitor.conversationId,
        clientId: 'scope-socket-00000001',
        body: 'x',
      },
      { type: 'typing', conversationId: s.visitor.conversationId, state: 'start' },
    ].entries()) {
      probe.send({ ...frame, rid: `f${i}` });
      await probe.until((p) => p.of('error').some((e) => e.rid === `f${i}`), `refusal of ${frame.type}`);
      expect(probe.of('error').find((e) => e.rid === `f${i}`)?.code).toBe('conversation_not_found');
    }
    probe.close();
  });
});

/**
 * A transfer takes the conversation out of the former operator's scope at once: their open
 * subscription ends (they are told) and nothing more of it arrives, on every node.
 */
describe.each([
  ['one node', DIALECTS[DIALECTS.length - 1] as 'sqlite' | 'postgres', false],
  ...(hasPostgres && hasRedis ? [['two nodes on PostgreSQL + Redis', 'postgres', true] as const] : []),
] as Array<[string, 'sqlite' | 'postgres', boolean]>)(
  'a transfer ends the former operator’s subscription (%s)',
  (_label, dialect, twoNodes) => {
    let a: TestServer;
    let b: TestServer;
    let close: () => Promise<void>;

    beforeAll(async () => {
      const database = await createTestDatabase(dialect);
      a = await startTestServer({ database, redis: twoNodes });
      b = twoNodes ? await startTestServer({ database, redis: true, migrate: false }) : a;
      close = async () => {
        await a.close();
        if (b !== a) await b.close();
        await database.drop();
      };
    });
    afterAll(async () => close?.());

    it('stops the stream to the operator who lost it, and tells them', async () => {
      const { setupAdmin, createWidget, startVisitor } = await import('../../../test/support/clients.js');
      const admin = await setupAdmin(a);
      const widget = await createWidget(a, admin);
      const session = await startVisitor(a, widget);
      const ana = await addAgent(a, admin.workspaceId, 'operator', 'ana@example.com');
      const ben = await addAgent(a, admin.workspaceId, 'operator', 'ben@example.com');
      const base = `/api/v1/workspaces/${admin.workspaceId}`;
      const visitor = await connectVisitor(a, session.credential);
      visitor.send({ type: 'subscribe', conversationId: session.conversationId, afterSeq: 0 });
      await visitor.next('subscribed');
      visitor.sendMessage(session.conversationId, 'Hello, a person please');
      await visitor.next('message.ack');
      await expect
        .poll(
          async () =>
            (await http(a, 'GET', `${base}/queries?view=queue`, { cookie: ana.cookie })).body.items.length,
        )
        .toBe(1);
      const queryId = (await http(a, 'GET', `${base}/queries?view=queue`, { cookie: ana.cookie })).body
        .items[0].id;
      expect(
        (await http(a, 'POST', `${base}/queries/${queryId}/pick`, { cookie: ana.cookie, body: {} })).status,
      ).toBe(200);

      // Ana follows the conversation on node A; the supervisor gives it to Ben on node B.
      const anaSocket: Probe = await connectAgent(a, ana);
      anaSocket.send({ type: 'subscribe', conversationId: session.conversationId, afterSeq: 0 });
      await anaSocket.next('subscribed');
      const onB = await login(b, 'admin@example.com');
      const moved = await http(b, 'POST', `${base}/queries/${queryId}/assign`, {
        cookie: onB.cookie,
        body: { userId: ben.me.user.id },
      });
      expect(moved.status).toBe(200);
      await anaSocket.until(
        (p) => p.frames.some((f) => f.type === 'unsubscribed' && f.conversationId === session.conversationId),
        'the end of Ana’s subscription',
        10_000,
      );
      expect(anaSocket.frames.find((f) => f.type === 'unsubscribed')).toMatchObject({
        reason: 'access_ended',
      });
      const seen = anaSocket.of('message.new').length;

      // The visitor writes on; Ben's socket gets it, Ana's does not.
      const benSocket = await connectAgent(b, ben);
      benSocket.send({ type: 'subscribe', conversationId: session.conversationId, afterSeq: 0 });
      await benSocket.next('subscribed');
      visitor.sendMessage(session.conversationId, 'Are you still there?');
      await benSocket.until(
        (p) => p.of('message.new').some((f) => f.message.body === 'Are you still there?'),
        'the message on Ben’s socket',
      );
      anaSocket.send({ type: 'ping', rid: 'after' });
      await anaSocket.next('pong');
      expect(anaSocket.of('message.new')).toHaveLength(seen);
      for (const p of [anaSocket, benSocket, visitor]) p.close();
    });
  },
);
