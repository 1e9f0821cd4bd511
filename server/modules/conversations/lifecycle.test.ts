import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectVisitor,
  http,
  type Probe,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { createSnoozeJob } from './lifecycle-plugin.js';

/**
 * The conversation lifecycle end to end over HTTP and sockets, on both dialects: resolve, reopen by
 * the visitor, pending, snooze (until a time and until the visitor writes), close and the linked
 * conversation that follows, the inbox tabs' counts under confinement, and the transcript's events.
 */
describe.each(DIALECTS)('conversation lifecycle (%s)', (dialect) => {
  let s: Scenario;
  let opA: TestAgent;
  let opB: TestAgent;
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
  });
  afterAll(async () => {
    await s?.close();
  });

  /** A new visitor whose first message queues a conversation that `agent` picks. */
  async function handedTo(agent: TestAgent) {
    const session = await startVisitor(s.server, s.widget);
    const socket = await connectVisitor(s.server, session.credential);
    const id = session.conversationId;
    socket.send({ type: 'subscribe', conversationId: id, afterSeq: 0 });
    await socket.next('subscribed');
    socket.sendMessage(id, 'Where is my order?');
    await socket.next('message.ack');
    const queryId = await until(async () => {
      const c = (await as(s.admin, 'GET', `/conversations/${id}`)).body;
      return c.query?.state === 'queued' ? (c.query.id as string) : null;
    });
    expect((await as(agent, 'POST', `/queries/${queryId}/pick`, {})).status).toBe(200);
    return { session, socket, id, queryId };
  }

  const statusFrames = (p: Probe, id: string) =>
    p
      .of('conversation.status')
      .filter((f) => f.conversationId === id)
      .map((f) => f.status);

  it('resolving leaves Open and reaches the widget; the visitor writing reopens it; the transcript shows it all', async () => {
    const { socket, id, queryId, session } = await handedTo(opA);
    const before = (await as(opA, 'GET', '/conversations/counts')).body;
    expect(before.mine.open).toBe(1);

    // Nothing is pre-chosen: the defaults exist, and resolving without a code is allowed.
    const codes = (await as(opA, 'GET', '/resolution-codes')).body.items.map((c: { code: string }) => c.code);
    expect(codes).toEqual(expect.arrayContaining(['answered', 'bug-reported', 'refund-issued', 'spam']));
    expect((await as(opA, 'GET', '/resolution-settings')).body).toEqual({ codeRequired: false });
    const resolved = await as(opA, 'POST', `/conversations/${id}/resolve`, { code: 'answered' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toEqual({ id, status: 'resolved' });
    await socket.until((p) => statusFrames(p, id).includes('resolved'), 'resolved on the widget');

    const open = (await as(opA, 'GET', '/conversations?status=open')).body.items.map(
      (c: { id: string }) => c.id,
    );
    expect(open).not.toContain(id);
    const mineResolved = (await as(opA, 'GET', '/conversations?status=resolved&view=mine')).body.items;
    expect(mineResolved.map((c: { id: string }) => c.id)).toContain(id);
    const after = (await as(opA, 'GET', '/conversations/counts')).body;
    expect(after.mine.open).toBe(before.mine.open - 1);
    expect(after.mine.resolved).toBe(before.mine.resolved + 1);
    // A second resolution is refused, with a stable code.
    expect((await as(opA, 'POST', `/conversations/${id}/resolve`, {})).body.error.code).toBe(
      'status_change_refused',
    );

    // The visitor rates, then writes again: the conversation is open again, the widget hears it.
    const rating = await http(s.server, 'POST', `/api/v1/visitor/conversations/${id}/rating`, {
      headers: { authorization: `Bearer ${session.credential}` },
      body: { score: 4, comment: 'Good, call me on +1 415 555 0199' },
    });
    expect(rating.status).toBe(204);
    // Another operator reaches none of it.
    expect((await as(opB, 'GET', `/conversations/${id}/events`)).status).toBe(404);
    expect((await as(opB, 'POST', `/conversations/${id}/reopen`, {})).status).toBe(404);
    expect((await as(opB, 'POST', `/conversations/${id}/snooze`, { until: null })).status).toBe(404);
    socket.sendMessage(id, 'One more thing');
    await socket.next('message.ack', 2);
    await socket.until((p) => statusFrames(p, id).includes('open'), 'reopened on the widget');
    expect((await as(opA, 'GET', `/conversations/${id}`)).body.status).toBe('open');

    // The transcript: the handoff and the lifecycle, with the code and the rating.
    // The new query comes from the bot's turn, after the message: wait for it.
    const timeline = await until(async () => {
      const items = (await as(opA, 'GET', `/conversations/${id}/events`)).body.items;
      return items?.length >= 6 ? items : null;
    });
    expect(timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'queued',
      'assigned',
      'resolved',
      'rated',
      'reopened',
      // No bot on this widget: the reopened conversation waits for a person again (a new query).
      'queued',
    ]);
    expect(timeline[1]).toMatchObject({ assigneeId: opA.me.user.id });
    expect(timeline[2]).toMatchObject({ code: 'answered', actor: { kind: 'agent', id: opA.me.user.id } });
    expect(timeline[3]).toMatchObject({ rating: 4 });
    // An operator has no personal-data.read: the comment's phone number is masked; the admin sees it.
    expect(timeline[3].comment).toContain('Good');
    expect(timeline[3].comment).not.toContain('415 555 0199');
    const adminView = (await as(s.admin, 'GET', `/conversations/${id}/events`)).body.items;
    expect(adminView[3].comment).toContain('415 555 0199');
    expect(timeline[4]).toMatchObject({ actor: { kind: 'visitor', id: null } });
    socket.close();
    void queryId;
  });

  it('pending and snoozed leave Open until the visitor writes or the snooze ends', async () => {
    const { socket, id } = await handedTo(opA);
    expect((await as(opA, 'POST', `/conversations/${id}/pending`, {})).body).toEqual({
      id,
      status: 'pending',
    });
    await socket.until((p) => statusFrames(p, id).includes('pending'), 'pending');
    expect(
      (await as(opA, 'GET', '/conversations?status=pending&view=mine')).body.items.map(
        (c: { id: string }) => c.id,
      ),
    ).toContain(id);
    socket.sendMessage(id, 'Here is the photo');
    await socket.next('message.ack', 2);
    await socket.until((p) => statusFrames(p, id).includes('open'), 'reopened');

    // A snooze until a time: refused in the past; the waker reopens it when the time comes.
    expect(
      (await as(opA, 'POST', `/conversations/${id}/snooze`, { until: '2020-01-01T00:00Z' })).body.error.code,
    ).toBe('snooze_in_past');
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const snoozed = await as(opA, 'POST', `/conversations/${id}/snooze`, { until });
    expect(snoozed.body).toEqual({ id, status: 'snoozed' });
    const row = (await as(opA, 'GET', `/conversations/${id}`)).body;
    expect(row).toMatchObject({ status: 'snoozed', snoozedUntil: until });
    const deps = { db: s.server.app.db, vault: s.server.app.vault, pubsub: s.server.app.pubsub };
    // Before its time the waker leaves it; after, it reopens it, once.
    expect(await createSnoozeJob(deps, { now: () => new Date(Date.now() + 60_000) }).tick()).toBe('ran');
    expect((await as(opA, 'GET', `/conversations/${id}`)).body.status).toBe('snoozed');
    const later = createSnoozeJob(deps, { now: () => new Date(Date.now() + 7_200_000) });
    expect(await later.tick()).toBe('ran');
    expect((await as(opA, 'GET', `/conversations/${id}`)).body.status).toBe('open');
    await socket.until((p) => statusFrames(p, id).filter((x) => x === 'open').length >= 2, 'woken');
    expect(await later.tick()).toBe('ran');

    // Snoozed until the visitor's next message: only that reopens it.
    expect((await as(opA, 'POST', `/conversations/${id}/snooze`, { until: null })).status).toBe(200);
    expect(await later.tick()).toBe('ran');
    expect((await as(opA, 'GET', `/conversations/${id}`)).body).toMatchObject({
      status: 'snoozed',
      snoozedUntil: null,
    });
    socket.sendMessage(id, 'Back again');
    await socket.next('message.ack', 3);
    expect((await as(opA, 'GET', `/conversations/${id}`)).body.status).toBe('open');
    // Reopening what is open is refused; the kinds recorded are the ones that happened.
    expect((await as(opA, 'POST', `/conversations/${id}/reopen`, {})).body.error.code).toBe(
      'status_change_refused',
    );
    const kinds = (await as(opA, 'GET', `/conversations/${id}/events`)).body.items.map(
      (e: { kind: string }) => e.kind,
    );
    expect(kinds).toEqual([
      'queued',
      'assigned',
      'pending',
      'reopened',
      'snoozed',
      'woke',
      'snoozed',
      'reopened',
    ]);
    socket.close();
  });

  it('counts the tabs from what each reader may see: mine, unassigned and all', async () => {
    const a = (await as(opA, 'GET', '/conversations/counts')).body;
    const b = (await as(opB, 'GET', '/conversations/counts')).body;
    const admin = (await as(s.admin, 'GET', '/conversations/counts')).body;
    // B holds nothing and sees none of A's; the admin sees all of them, none as "mine".
    expect(b.mine).toEqual({ open: 0, pending: 0, snoozed: 0, resolved: 0 });
    expect(b.all.open).toBe(b.unassigned.open);
    expect(a.all.open).toBeGreaterThanOrEqual(a.mine.open);
    expect(admin.mine).toEqual({ open: 0, pending: 0, snoozed: 0, resolved: 0 });
    expect(admin.all.open).toBeGreaterThanOrEqual(a.mine.open + b.all.open);
    // The counts agree with the lists they stand for.
    for (const [agent, counts] of [
      [opA, a],
      [opB, b],
      [s.admin, admin],
    ] as const)
      for (const view of ['mine', 'unassigned', 'all'] as const)
        for (const status of ['open', 'pending', 'snoozed', 'resolved'] as const) {
          const items = (await as(agent, 'GET', `/conversations?status=${status}&view=${view}`)).body.items;
          expect(items.length, `${view} ${status}`).toBe(counts[view][status]);
        }
  });

  it('a closed conversation is final: the visitor writing again starts a new one linked to it', async () => {
    const { socket, id, session } = await handedTo(opA);
    expect((await as(opA, 'PATCH', `/conversations/${id}`, { status: 'closed' })).status).toBe(204);
    await socket.until((p) => statusFrames(p, id).includes('closed'), 'closed on the widget');
    expect((await as(s.admin, 'POST', `/conversations/${id}/reopen`, {})).body.error.code).toBe(
      'conversation_closed',
    );
    const refused = socket.sendMessage(id, 'Hello again?');
    await socket.until((p) => p.of('error').some((e) => e.clientId === refused), 'refusal');
    expect(socket.of('error').find((e) => e.clientId === refused)?.code).toBe('conversation_closed');

    // The widget resumes: a new conversation that names the closed one; the message lands there.
    const next = await startVisitor(s.server, s.widget, session.credential);
    expect(next.conversationId).not.toBe(id);
    const fresh = await connectVisitor(s.server, next.credential);
    fresh.send({ type: 'subscribe', conversationId: next.conversationId, afterSeq: 0 });
    await fresh.next('subscribed');
    fresh.sendMessage(next.conversationId, 'Hello again?', refused);
    const ack = await fresh.next('message.ack');
    expect(ack.conversationId).toBe(next.conversationId);
    const linked = (await as(s.admin, 'GET', `/conversations/${next.conversationId}`)).body;
    expect(linked.previousConversationId).toBe(id);
    const messages = (await as(s.admin, 'GET', `/conversations/${next.conversationId}/messages`)).body.items;
    expect(messages.map((m: { body: string }) => m.body)).toContain('Hello again?');
    expect(
      (await as(s.admin, 'GET', `/conversations/${id}/events`)).body.items.map(
        (e: { kind: string }) => e.kind,
      ),
    ).toContain('closed');
    socket.close();
    fresh.close();
  });

  it('a widget loaded onto a resolved, snoozed or closed conversation knows its status at once', async () => {
    const { socket, id, session } = await handedTo(opA);
    let credential = session.credential;
    /** The widget reloaded: a new session (its status) and a new socket (its `subscribed`). */
    const reload = async () => {
      const again = await startVisitor(s.server, s.widget, credential);
      credential = again.credential;
      const fresh = await connectVisitor(s.server, again.credential);
      fresh.send({ type: 'subscribe', conversationId: again.conversationId, afterSeq: 0 });
      const subscribed = await fresh.next('subscribed');
      fresh.close();
      return {
        conversationId: again.conversationId,
        session: again.conversationStatus,
        subscribed: subscribed.status,
      };
    };
    expect(await reload()).toEqual({ conversationId: id, session: 'open', subscribed: 'open' });
    expect((await as(opA, 'POST', `/conversations/${id}/resolve`, {})).status).toBe(200);
    expect(await reload()).toEqual({ conversationId: id, session: 'resolved', subscribed: 'resolved' });
    expect((await as(opA, 'POST', `/conversations/${id}/reopen`, {})).status).toBe(200);
    expect((await as(opA, 'POST', `/conversations/${id}/snooze`, { until: null })).status).toBe(200);
    expect(await reload()).toEqual({ conversationId: id, session: 'snoozed', subscribed: 'snoozed' });
    expect((await as(opA, 'POST', `/conversations/${id}/reopen`, {})).status).toBe(200);
    expect((await as(opA, 'POST', `/conversations/${id}/pending`, {})).status).toBe(200);
    expect(await reload()).toEqual({ conversationId: id, session: 'pending', subscribed: 'pending' });
    // A socket still subscribed to a closed conversation hears its status on a new `subscribe`; the
    // widget reloaded after a close gets a new, open conversation (linked to the closed one).
    expect((await as(opA, 'PATCH', `/conversations/${id}`, { status: 'closed' })).status).toBe(204);
    socket.send({ type: 'subscribe', conversationId: id, afterSeq: 0, rid: 'again' });
    await socket.until((p) => p.of('subscribed').some((f) => f.rid === 'again'), 'subscribed again');
    expect(socket.of('subscribed').find((f) => f.rid === 'again')?.status).toBe('closed');
    const after = await reload();
    expect(after.conversationId).not.toBe(id);
    expect(after).toMatchObject({ session: 'open', subscribed: 'open' });
    socket.close();
  });

  it('an administrator may require a resolution code; operators may not change that', async () => {
    const { socket, id } = await handedTo(opA);
    expect((await as(opA, 'PUT', '/resolution-settings', { codeRequired: true })).status).toBe(403);
    expect((await as(s.admin, 'PUT', '/resolution-settings', { codeRequired: true })).body).toEqual({
      codeRequired: true,
    });
    expect((await as(opA, 'POST', `/conversations/${id}/resolve`, {})).body.error.code).toBe(
      'resolution_code_required',
    );
    expect((await as(opA, 'POST', `/conversations/${id}/resolve`, { code: 'nope' })).body.error.code).toBe(
      'resolution_code_unknown',
    );
    expect((await as(opA, 'GET', `/conversations/${id}`)).body.status).toBe('open');
    expect((await as(opA, 'POST', `/conversations/${id}/resolve`, { code: 'duplicate' })).status).toBe(200);
    await as(s.admin, 'PUT', '/resolution-settings', { codeRequired: false });
    socket.close();
  });
});

async function until<T>(read: () => Promise<T | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}
