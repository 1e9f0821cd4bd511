import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectAgent,
  connectVisitor,
  http,
  type Probe,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';

/** The handoff from queue to rating, with operators confined to their own work; both dialects. */
describe.each(DIALECTS)('human handoff (%s)', (dialect) => {
  let s: Scenario;
  let opA: TestAgent;
  let opB: TestAgent;
  let visitor: Probe;
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  const as = (agent: TestAgent, method: string, path: string, body?: unknown) =>
    http(s.server, method, `${base()}${path}`, {
      cookie: agent.cookie,
      ...(body !== undefined ? { body } : {}),
    });

  beforeAll(async () => {
    s = await startScenario(dialect);
    opA = await addAgent(s.server, s.admin.workspaceId, 'operator', 'ana@example.com');
    opB = await addAgent(s.server, s.admin.workspaceId, 'operator', 'ben@example.com');
    expect((await as(s.admin, 'POST', '/resolution-codes', { code: 'solved', label: 'Solved' })).status).toBe(
      201,
    );
    visitor = await connectVisitor(s.server, s.visitor.credential);
    visitor.send({ type: 'subscribe', conversationId: s.visitor.conversationId, afterSeq: 0 });
    await visitor.next('subscribed');
  });
  afterAll(async () => {
    visitor?.close();
    await s?.close();
  });

  it('queues, confines, transfers, resolves and collects the rating, recording every transition', async () => {
    const conversationId = s.visitor.conversationId;
    // Before any handoff an operator sees nothing of the conversation.
    expect((await as(opA, 'GET', `/conversations/${conversationId}`)).status).toBe(404);
    expect((await as(opA, 'GET', '/conversations')).body.items).toEqual([]);

    // The widget reports the page; the first message queues the conversation (no bot here).
    const page = await http(s.server, 'PUT', `/api/v1/visitor/conversations/${conversationId}/page`, {
      headers: { authorization: `Bearer ${s.visitor.credential}` },
      body: {
        pageUrl: 'https://shop.example.com/orders/42?email=priya.patel@example.com',
        referrer: 'https://search.example/',
      },
    });
    expect(page.status).toBe(204);
    visitor.sendMessage(conversationId, 'Where is my order?');
    await visitor.next('message.ack');
    let queue: any[] = [];
    for (let i = 0; i < 50 && queue.length === 0; i++) {
      queue = (await as(opA, 'GET', '/queries?view=queue')).body.items;
      if (queue.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(queue).toHaveLength(1);
    const query = queue[0];
    expect(query).toMatchObject({ state: 'queued', conversationId, origin: { trigger: 'no_bot' } });
    // Operators lack personal-data.read: the page URL reaches them masked; the supervisor view is plain.
    const full = (await as(s.admin, 'GET', `/queries/${query.id}`)).body;
    expect(full.origin).toMatchObject({
      pageUrl: 'https://shop.example.com/orders/42?email=priya.patel@example.com',
      referrer: 'https://search.example/',
    });
    expect((await as(opA, 'GET', '/queries/counts')).body).toEqual({ queue: 1, mine: 0 });
    expect((await as(opB, 'GET', `/conversations/${conversationId}`)).status).toBe(200);

    // A picks it; B can no longer see or answer it, on REST or on the socket.
    expect((await as(opA, 'POST', `/queries/${query.id}/pick`, {})).status).toBe(200);
    expect((await as(opB, 'POST', `/queries/${query.id}/pick`, {})).body.error.code).toBe('query_not_found');
    expect((await as(opB, 'GET', `/conversations/${conversationId}`)).status).toBe(404);
    expect((await as(opB, 'GET', '/conversations')).body.items).toEqual([]);
    const bSend = await as(opB, 'POST', `/conversations/${conversationId}/messages`, {
      clientId: 'b-intrudes-0000000001',
      body: 'hello',
    });
    expect(bSend.status).toBe(404);
    const bSocket = await connectAgent(s.server, opB);
    bSocket.send({ type: 'subscribe', rid: 'x', conversationId, afterSeq: 0 });
    await bSocket.until((p) => p.of('error').some((e) => e.rid === 'x'), 'refusal');
    expect(bSocket.of('error')[0]?.code).toBe('conversation_not_found');
    expect((await as(opA, 'GET', '/queries/counts')).body).toEqual({ queue: 0, mine: 1 });

    // A answers (first response → waiting on the visitor); the visitor answers back (→ assigned).
    const reply = await as(opA, 'POST', `/conversations/${conversationId}/messages`, {
      clientId: 'a-reply-000000000001',
      body: 'Let me check that for you.',
    });
    expect(reply.status).toBe(201);
    expect((await as(opA, 'GET', `/queries/${query.id}`)).body.state).toBe('waiting_on_visitor');
    visitor.sendMessage(conversationId, 'Thanks, it is order 42');
    await visitor.next('message.ack', 2);
    await expectState(opA, query.id, 'assigned');

    // A private note: the visitor never receives it, on the socket or when resuming over REST.
    const secret = 'Customer sounds upset; refund approved internally';
    expect((await as(opA, 'POST', `/conversations/${conversationId}/notes`, { body: secret })).status).toBe(
      201,
    );
    // A transfer to B with a note (also private).
    const transfer = await as(opA, 'POST', `/queries/${query.id}/transfer`, {
      userId: opB.me.user.id,
      note: 'Ben, please finish the refund',
    });
    expect(transfer.status).toBe(200);
    expect((await as(opA, 'GET', `/conversations/${conversationId}`)).status).toBe(404);
    expect((await as(opB, 'GET', `/conversations/${conversationId}`)).status).toBe(200);
    const notes = (await as(opB, 'GET', `/conversations/${conversationId}/notes`)).body.items;
    expect(notes.map((n: { body: string }) => n.body)).toEqual([secret, 'Ben, please finish the refund']);

    // B resolves with a code; the visitor is asked for a rating.
    expect((await as(opB, 'POST', `/queries/${query.id}/resolve`, { code: 'nope' })).body.error.code).toBe(
      'resolution_code_unknown',
    );
    const resolved = await as(opB, 'POST', `/queries/${query.id}/resolve`, {
      code: 'solved',
      note: 'Refunded',
    });
    expect(resolved.status).toBe(200);
    await visitor.until(
      (p) => p.of('message.new').some((f) => f.message.parts?.some((x) => x.type === 'rating')),
      'rating prompt',
    );
    const rate = (score: number) =>
      http(s.server, 'POST', `/api/v1/visitor/conversations/${conversationId}/rating`, {
        headers: { authorization: `Bearer ${s.visitor.credential}` },
        body: { score, comment: 'Quick and kind, call me on +1 415 555 0199' },
      });
    expect((await rate(5)).status).toBe(204);
    expect((await rate(1)).body.error.code).toBe('rating_not_open');

    const resumed = await startVisitor(s.server, s.widget, s.visitor.credential);
    const visitorSaw = JSON.stringify(visitor.frames) + JSON.stringify(resumed);
    expect(visitorSaw).not.toContain('refund approved');
    expect(visitorSaw).not.toContain('please finish the refund');

    const detail = (await as(s.admin, 'GET', `/queries/${query.id}`)).body;
    expect(detail).toMatchObject({
      state: 'resolved',
      assigneeId: opB.me.user.id,
      resolution: { code: 'solved', note: 'Refunded' },
      rating: { score: 5, comment: 'Quick and kind, call me on +1 415 555 0199' },
    });
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual([
      'queued',
      'assigned',
      'waiting_on_visitor',
      'visitor_replied',
      'transferred',
      'resolved',
      'rated',
    ]);
    for (const e of detail.events) expect(Date.parse(e.at)).not.toBeNaN();
    // B (an operator, no personal-data.read) sees the comment masked.
    const asB = (await as(opB, 'GET', `/queries/${query.id}`)).body;
    expect(asB.rating.comment).not.toContain('415 555 0199');
    expect(asB.rating.comment).toContain('Quick and kind');
    expect(detail.firstResponseAt).toBe(detail.events[2].at);
    bSocket.close();
  });

  it('an operator is told of queued work on the inbox socket, and only of their own', async () => {
    const v2 = await startVisitor(s.server, s.widget);
    const a = await connectAgent(s.server, opA);
    await as(opA, 'PUT', '/presence', { status: 'away' }); // keeps A from being given it automatically
    a.send({ type: 'inbox.subscribe' });
    await a.next('inbox.subscribed');
    const v = await connectVisitor(s.server, v2.credential);
    v.send({ type: 'subscribe', conversationId: v2.conversationId, afterSeq: 0 });
    await v.next('subscribed');
    v.sendMessage(v2.conversationId, 'Hello?');
    await a.until(
      (p) =>
        p
          .of('conversation.updated')
          .some((f) => f.conversation.id === v2.conversationId && f.conversation.query?.state === 'queued'),
      'queued update',
    );
    // Everything A was told about is queued or theirs.
    for (const f of a.of('conversation.updated'))
      expect(
        f.conversation.query?.state === 'queued' || f.conversation.query?.assigneeId === opA.me.user.id,
      ).toBe(true);
    a.close();
    v.close();
  });

  async function expectState(agent: TestAgent, queryId: string, state: string) {
    for (let i = 0; i < 50; i++) {
      if ((await as(agent, 'GET', `/queries/${queryId}`)).body.state === state) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await as(agent, 'GET', `/queries/${queryId}`)).body.state).toBe(state);
  }
});
