import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectAgent,
  connectVisitor,
  http,
  type Probe,
  startVisitor,
} from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';

/**
 * Read receipts and unread counts: persisted cursors carried on the socket both ways, resumed on
 * reconnect, and counts derived from the database so every device of an agent agrees.
 */
describe.each(DIALECTS)('read receipts and unread counts (%s)', (dialect) => {
  let s: Scenario;
  const ws = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  const readState = async (cookie = s.admin.cookie) => {
    const res = await http(s.server, 'GET', `${ws()}/read-state`, { cookie });
    expect(res.status).toBe(200);
    return res.body as {
      items: Array<{ conversationId: string; lastSeq: number; readSeq: number; unread: number }>;
      unreadConversations: number;
    };
  };
  const unreadOf = async (conversationId: string, cookie?: string) =>
    (await readState(cookie)).items.find((i) => i.conversationId === conversationId)?.unread ?? 0;
  const receiptFrom = (p: Probe, kind: 'visitor' | 'agent', readSeq: number) =>
    p.until(
      (q) => q.of('receipt').some((f) => f.reader.kind === kind && f.readSeq >= readSeq),
      `${kind} receipt ${readSeq}`,
    );

  beforeEach(async () => {
    s = await startScenario(dialect);
  });
  afterEach(async () => s?.close());

  it('carries read state both ways, persists it, and resumes it after a reconnect', async () => {
    const conversationId = s.visitor.conversationId;
    const v = await connectVisitor(s.server, s.visitor.credential);
    v.send({ type: 'subscribe', conversationId, afterSeq: 0 });
    const first = await v.next('subscribed');
    expect(first.cursors).toEqual({
      mine: { deliveredSeq: 0, readSeq: 0 },
      theirs: { deliveredSeq: 0, readSeq: 0 },
    });
    const agent = await connectAgent(s.server, s.admin);
    agent.send({ type: 'subscribe', conversationId, afterSeq: 0 });
    await agent.next('subscribed');
    // A second device of the same agent, on the inbox only.
    const phone = await connectAgent(s.server, s.admin);
    phone.send({ type: 'inbox.subscribe' });
    await phone.next('inbox.subscribed');

    // The visitor's own message is read by the visitor: the agent hears it with the message.
    v.sendMessage(conversationId, 'Do you ship to Norway?');
    await v.next('message.ack');
    await receiptFrom(agent, 'visitor', 2);
    // Stored with the message, not only told: the visitor's new device, and an agent's socket that
    // subscribes now, start from it.
    const tablet = await connectVisitor(s.server, s.visitor.credential);
    tablet.send({ type: 'subscribe', conversationId, afterSeq: 2 });
    expect((await tablet.next('subscribed')).cursors.mine).toEqual({ deliveredSeq: 2, readSeq: 2 });
    tablet.close();
    const laptop = await connectAgent(s.server, s.admin);
    laptop.send({ type: 'subscribe', conversationId, afterSeq: 2 });
    expect((await laptop.next('subscribed')).cursors.theirs).toEqual({ deliveredSeq: 2, readSeq: 2 });
    laptop.close();
    // Unread for the agent: the greeting and the question, the same from any device.
    expect(await unreadOf(conversationId)).toBe(2);

    // The agent reads up to 2: answered with the rid, told to the visitor and the agent's phone.
    agent.send({ type: 'receipt', rid: 'r1', conversationId, state: 'read', seq: 2 });
    await agent.until((p) => p.of('receipt').some((f) => f.rid === 'r1'), 'r1');
    expect(agent.of('receipt').find((f) => f.rid === 'r1')).toMatchObject({
      rid: 'r1',
      reader: { kind: 'agent', id: s.admin.me.user.id },
      deliveredSeq: 2,
      readSeq: 2,
    });
    await receiptFrom(v, 'agent', 2);
    await receiptFrom(phone, 'agent', 2);
    expect(await unreadOf(conversationId)).toBe(0);

    // Cursors never move back, nor past the last message.
    agent.send({ type: 'receipt', rid: 'r2', conversationId, state: 'read', seq: 1 });
    agent.send({ type: 'receipt', rid: 'r3', conversationId, state: 'delivered', seq: 999_999 });
    await agent.until((p) => p.of('receipt').some((f) => f.rid === 'r3'), 'r3');
    expect(agent.of('receipt').find((f) => f.rid === 'r2')).toMatchObject({ readSeq: 2 });
    expect(agent.of('receipt').find((f) => f.rid === 'r3')).toMatchObject({ deliveredSeq: 2, readSeq: 2 });

    // The agent's reply is read by the agent (no unread of their own), unread for the visitor.
    agent.sendMessage(conversationId, 'We do.');
    await v.next('message.new', 3);
    expect(await unreadOf(conversationId)).toBe(0);
    // The visitor's "Seen" and the agent's phone (inbox only) hear that the agent read up to it.
    await receiptFrom(v, 'agent', 3);
    await receiptFrom(phone, 'agent', 3);
    v.send({ type: 'receipt', rid: 'v1', conversationId, state: 'delivered', seq: 3 });
    await receiptFrom(agent, 'visitor', 2);
    await agent.until(
      (p) => p.of('receipt').some((f) => f.reader.kind === 'visitor' && f.deliveredSeq === 3),
      'delivered 3',
    );
    v.close();
    agent.close();
    phone.close();

    // After a reconnect, both sides start from the stored cursors.
    const again = await connectVisitor(s.server, s.visitor.credential);
    again.send({ type: 'subscribe', conversationId, afterSeq: 3 });
    expect((await again.next('subscribed')).cursors).toEqual({
      mine: { deliveredSeq: 3, readSeq: 2 },
      theirs: { deliveredSeq: 3, readSeq: 3 },
    });
    const back = await connectAgent(s.server, s.admin);
    back.send({ type: 'subscribe', conversationId, afterSeq: 3 });
    expect((await back.next('subscribed')).cursors).toEqual({
      mine: { deliveredSeq: 3, readSeq: 3 },
      theirs: { deliveredSeq: 3, readSeq: 2 },
    });
    again.close();
    back.close();
  });

  it('refuses a malformed receipt, and counts unread per agent and only in their scope', async () => {
    const conversationId = s.visitor.conversationId;
    const v = await connectVisitor(s.server, s.visitor.credential);
    v.send({ type: 'receipt', rid: 'bad', conversationId, state: 'seen', seq: 1 });
    expect(await v.next('error')).toMatchObject({ rid: 'bad', code: 'invalid_frame' });
    v.send({ type: 'receipt', rid: 'neg', conversationId, state: 'read', seq: -1 });
    expect(await v.next('error', 2)).toMatchObject({ rid: 'neg', code: 'invalid_frame' });
    // Another visitor's conversation does not exist for this one.
    const other = await startVisitor(s.server, s.widget);
    v.send({ type: 'receipt', rid: 'x', conversationId: other.conversationId, state: 'read', seq: 1 });
    expect(await v.next('error', 3)).toMatchObject({ rid: 'x', code: 'conversation_not_found' });
    v.close();

    // A supervisor's cursor is theirs alone: the administrator reading does not clear it.
    const supervisor = await addAgent(s.server, s.admin.workspaceId, 'supervisor', 'sup@example.com');
    const a = await connectAgent(s.server, s.admin);
    a.send({ type: 'receipt', rid: 'a', conversationId, state: 'read', seq: 1 });
    await a.until((p) => p.of('receipt').some((f) => f.rid === 'a'), 'a');
    expect(await unreadOf(conversationId)).toBe(0);
    expect(await unreadOf(conversationId, supervisor.cookie)).toBe(1);
    a.close();

    // An operator sees no count for a conversation outside their scope (nobody handed it over).
    const operator = await addAgent(s.server, s.admin.workspaceId, 'operator', 'op@example.com');
    expect(await readState(operator.cookie)).toEqual({ items: [], unreadConversations: 0 });
    // The other visitor's greeting is unread for both; the first conversation only for the supervisor.
    expect((await readState()).unreadConversations).toBe(1);
    expect((await readState(supervisor.cookie)).unreadConversations).toBe(2);
  });

  it('stores agents’ notification settings, each their own', async () => {
    const path = `${ws()}/notification-settings`;
    expect((await http(s.server, 'GET', path, { cookie: s.admin.cookie })).body).toEqual({
      sound: true,
      desktop: true,
    });
    const put = await http(s.server, 'PUT', path, {
      cookie: s.admin.cookie,
      body: { sound: false, desktop: true },
    });
    expect(put.status).toBe(200);
    expect((await http(s.server, 'GET', path, { cookie: s.admin.cookie })).body).toEqual({
      sound: false,
      desktop: true,
    });
    const operator = await addAgent(s.server, s.admin.workspaceId, 'operator', 'op2@example.com');
    expect((await http(s.server, 'GET', path, { cookie: operator.cookie })).body).toEqual({
      sound: true,
      desktop: true,
    });
    const bad = await http(s.server, 'PUT', path, { cookie: s.admin.cookie, body: { sound: 'loud' } });
    expect(bad.status).toBe(400);
  });
});
