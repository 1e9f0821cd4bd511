import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VisitorSession, Widget } from '../../../protocol/api.js';
import { LIMITS } from '../../../protocol/limits.js';
import { newClientId } from '../../../protocol/realtime-client.js';
import { WS_PROTOCOL, WS_TICKET_PREFIX } from '../../../protocol/ws-close-codes.js';
import {
  connectAgent,
  connectVisitor,
  fetchTicket,
  openSocket,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import type { TestServer } from '../../../test/support/test-server.js';

describe.each(DIALECTS)('realtime message path (%s)', (dialect) => {
  let scenario: Scenario;
  let server: TestServer;
  let admin: TestAgent;
  let widget: Widget;
  let visitor: VisitorSession;

  beforeEach(async () => {
    scenario = await startScenario(dialect);
    ({ server, admin, widget, visitor } = scenario);
  });
  afterEach(async () => scenario.close());

  it('carries messages visitor → operator and back, with acks, greeting and typing', async () => {
    const agent = await connectAgent(server, admin);
    agent.send({ type: 'inbox.subscribe' });
    await agent.next('inbox.subscribed');
    const v = await connectVisitor(server, visitor.credential);
    v.send({ type: 'subscribe', conversationId: visitor.conversationId, afterSeq: 0 });
    const sub = await v.next('subscribed');
    expect(sub.lastSeq).toBe(1);
    expect(v.of('message.new')[0]?.message).toMatchObject({
      seq: 1,
      author: { kind: 'bot' },
      body: 'Hi! How can we help?',
    });

    agent.send({ type: 'subscribe', conversationId: visitor.conversationId, afterSeq: 0 });
    await agent.next('subscribed');

    v.send({ type: 'typing', conversationId: visitor.conversationId, state: 'start' });
    const typing = await agent.next('typing');
    expect(typing.author).toMatchObject({ kind: 'visitor', id: visitor.visitor.id });
    expect(v.of('typing')).toHaveLength(0);

    const clientId = v.sendMessage(visitor.conversationId, 'Where is my order #1234?');
    const ack = await v.next('message.ack');
    expect(ack).toMatchObject({ clientId, seq: 2, duplicate: false });
    await agent.next('message.new', 2);
    expect(agent.of('message.new')[1]?.message).toMatchObject({
      seq: 2,
      body: 'Where is my order #1234?',
      author: { kind: 'visitor' },
    });
    await agent.until(
      (p) =>
        p
          .of('conversation.updated')
          .some((f) => f.conversation.lastMessagePreview === 'Where is my order #1234?'),
      'inbox update',
    );

    agent.send({ type: 'typing', conversationId: visitor.conversationId, state: 'start' });
    await v.next('typing');
    agent.sendMessage(visitor.conversationId, 'It ships today.');
    await v.next('message.new', 3);
    expect(v.of('message.new')[2]?.message).toMatchObject({
      seq: 3,
      body: 'It ships today.',
      author: { kind: 'agent', name: 'Ada Admin' },
    });
    v.close();
    agent.close();
  });

  it('replays exactly the missed messages, in order, to a client that resumes with its last seq', async () => {
    const agent = await connectAgent(server, admin);
    const first = await connectVisitor(server, visitor.credential);
    first.send({ type: 'subscribe', conversationId: visitor.conversationId, afterSeq: 0 });
    await first.next('subscribed');
    for (const body of ['one', 'two']) first.sendMessage(visitor.conversationId, body);
    await first.next('message.new', 3);
    const lastSeen = Math.max(...first.of('message.new').map((f) => f.message.seq));
    first.close();

    for (let i = 0; i < 25; i++) agent.sendMessage(visitor.conversationId, `reply ${i}`);
    await agent.next('message.ack', 25);

    const resumed = await startVisitor(server, widget, visitor.credential);
    expect(resumed).toMatchObject({
      resumed: true,
      conversationId: visitor.conversationId,
      visitor: { id: visitor.visitor.id },
    });
    const second = await connectVisitor(server, resumed.credential);
    second.send({ type: 'subscribe', conversationId: visitor.conversationId, afterSeq: lastSeen });
    const sub = await second.next('subscribed');
    const seqs = second.of('message.new').map((f) => f.message.seq);
    expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => lastSeen + 1 + i));
    expect(sub.lastSeq).toBe(lastSeen + 25);
    expect(second.of('message.new').map((f) => f.message.body)).toEqual(
      Array.from({ length: 25 }, (_, i) => `reply ${i}`),
    );
    agent.close();
    second.close();
  });

  it('stores a resent message.send once and answers it with the original seq', async () => {
    const v = await connectVisitor(server, visitor.credential);
    const clientId = newClientId();
    v.sendMessage(visitor.conversationId, 'hello once', clientId);
    const ack1 = await v.next('message.ack');
    v.close();
    const again = await connectVisitor(
      server,
      (await startVisitor(server, widget, visitor.credential)).credential,
    );
    again.sendMessage(visitor.conversationId, 'hello once', clientId);
    const ack2 = await again.next('message.ack');
    expect(ack2).toMatchObject({ seq: ack1.seq, duplicate: true, createdAt: ack1.createdAt });
    again.sendMessage(visitor.conversationId, 'a different body', clientId);
    expect(await again.next('error')).toMatchObject({ code: 'client_id_conflict', clientId });
    const rows = await server.db.db
      .selectFrom('messages')
      .selectAll()
      .where('client_id', '=', clientId)
      .execute();
    expect(rows).toHaveLength(1);
    again.close();
  });

  it('gives concurrent senders unique, gap-free seqs and delivers them in order to every subscriber', async () => {
    const watcher = await connectAgent(server, admin);
    watcher.send({ type: 'subscribe', conversationId: visitor.conversationId, afterSeq: 0 });
    await watcher.next('subscribed');
    const senders = [
      await connectAgent(server, admin),
      await connectVisitor(server, visitor.credential),
      await connectAgent(server, admin),
    ];
    const perSender = 12;
    for (let i = 0; i < perSender; i++)
      for (const [n, s] of senders.entries()) s.sendMessage(visitor.conversationId, `s${n}-${i}`);
    for (const s of senders) await s.next('message.ack', perSender);
    const acked = senders.flatMap((s) => s.of('message.ack').map((a) => a.seq)).sort((a, b) => a - b);
    const total = senders.length * perSender;
    expect(acked).toEqual(Array.from({ length: total }, (_, i) => i + 2));
    await watcher.next('message.new', total + 1);
    expect(watcher.of('message.new').map((f) => f.message.seq)).toEqual(
      Array.from({ length: total + 1 }, (_, i) => i + 1),
    );
    for (const s of [...senders, watcher]) s.close();
  });

  it('confines a visitor credential to its own conversation', async () => {
    const other = await startVisitor(server, widget);
    const v = await connectVisitor(server, visitor.credential);
    v.send({ type: 'subscribe', conversationId: other.conversationId, afterSeq: 0, rid: 'r1' });
    expect(await v.next('error')).toMatchObject({ code: 'conversation_not_found', rid: 'r1' });
    const clientId = v.sendMessage(other.conversationId, 'sneaky');
    expect(await v.next('error', 2)).toMatchObject({ code: 'conversation_not_found', clientId });
    v.send({ type: 'typing', conversationId: other.conversationId, state: 'start', rid: 'r3' });
    expect(await v.next('error', 3)).toMatchObject({ code: 'conversation_not_found', rid: 'r3' });
    v.send({ type: 'inbox.subscribe', rid: 'r4' });
    expect(await v.next('error', 4)).toMatchObject({ code: 'forbidden', rid: 'r4' });
    const stored = await server.db.db
      .selectFrom('messages')
      .select('body')
      .where('conversation_id', '=', other.conversationId)
      .execute();
    expect(stored.map((r) => r.body)).not.toContain('sneaky');
    v.close();
  });

  it('refuses bad frames with stable codes, closes oversized ones, and keeps serving other sockets', async () => {
    const v = await connectVisitor(server, visitor.credential);
    const bystander = await connectVisitor(server, (await startVisitor(server, widget)).credential);
    const cases: Array<[unknown, string]> = [
      ['{not json', 'invalid_json'],
      [{ type: 'launch.missiles' }, 'unknown_frame_type'],
      [{ nope: 1 }, 'unknown_frame_type'],
      // A type whose conversion to a string throws once stopped the whole process.
      [{ type: { toString: 1 } }, 'unknown_frame_type'],
      [{ type: [{ toString: 1 }] }, 'unknown_frame_type'],
      [{ type: { valueOf: 1, toString: 1 }, rid: 'r' }, 'unknown_frame_type'],
      [{ type: null }, 'unknown_frame_type'],
      [[1, 2], 'invalid_frame'],
      [
        { type: 'message.send', conversationId: visitor.conversationId, clientId: newClientId(), body: 42 },
        'invalid_frame',
      ],
      [
        { type: 'message.send', conversationId: visitor.conversationId, clientId: 'short', body: 'x' },
        'invalid_frame',
      ],
      [
        {
          type: 'message.send',
          conversationId: visitor.conversationId,
          clientId: newClientId(),
          body: 'x'.repeat(LIMITS.maxMessageChars + 1),
        },
        'message_too_long',
      ],
      [{ type: 'subscribe', conversationId: 'not-a-uuid', afterSeq: 0 }, 'invalid_frame'],
      [{ type: 'subscribe', conversationId: visitor.conversationId, afterSeq: -1 }, 'invalid_frame'],
      [{ type: 'ping', extra: true }, 'invalid_frame'],
    ];
    for (const [i, [frame, code]] of cases.entries()) {
      v.send(frame);
      const err = await v.next('error', i + 1);
      expect(err.code, JSON.stringify(frame).slice(0, 80)).toBe(code);
      expect(err.message.length).toBeGreaterThan(10);
    }
    v.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await v.next('error', cases.length + 1)).code).toBe('invalid_frame');
    expect(v.closed).toBeNull();

    v.send({ type: 'ping', rid: 'x'.repeat(10), pad: 'y'.repeat(LIMITS.maxFrameBytes) });
    await v.until((p) => p.closed !== null, 'close');
    expect(v.closed?.code).toBe(1009);

    bystander.send({ type: 'ping', rid: 'still-here' });
    expect(await bystander.next('pong')).toMatchObject({ rid: 'still-here' });
    bystander.close();
  });

  it('rate-limits a flooding socket and finally closes it', async () => {
    const v = await connectVisitor(server, visitor.credential);
    for (let i = 0; i < 200; i++) v.send({ type: 'ping' });
    await v.until((p) => p.closed !== null, 'close for abuse');
    expect(v.of('error').some((e) => e.code === 'rate_limited')).toBe(true);
    expect(v.closed?.code).toBe(4008);
  });

  it('refuses the upgrade, before any WebSocket exists, for bad origins, tickets and cookies', async () => {
    const ticket = await fetchTicket(server, visitor.credential);
    await expect(
      openSocket(server, {
        protocols: [WS_PROTOCOL, WS_TICKET_PREFIX + ticket],
        origin: 'https://evil.example',
      }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      openSocket(server, { protocols: [WS_PROTOCOL], cookie: admin.cookie, origin: 'https://evil.example' }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      openSocket(server, { protocols: [WS_PROTOCOL, `${WS_TICKET_PREFIX}forged${'a'.repeat(40)}`] }),
    ).rejects.toMatchObject({
      status: 401,
    });
    await expect(
      openSocket(server, { protocols: [WS_PROTOCOL], cookie: '__Host-parley_session=forged' }),
    ).rejects.toMatchObject({ status: 401 });
    await expect(openSocket(server, { protocols: ['other'], cookie: admin.cookie })).rejects.toMatchObject({
      status: 400,
    });
    // Browsers always send Origin on a WebSocket upgrade: one without it is not a browser's.
    await expect(
      openSocket(server, {
        protocols: [WS_PROTOCOL, WS_TICKET_PREFIX + (await fetchTicket(server, visitor.credential))],
        origin: null,
      }),
    ).rejects.toMatchObject({ status: 403, body: expect.stringContaining('origin_not_allowed') });
    await expect(
      openSocket(server, { protocols: [WS_PROTOCOL], cookie: admin.cookie, origin: null }),
    ).rejects.toMatchObject({ status: 403, body: expect.stringContaining('cross_origin_refused') });
    // A ticket works once: the first use succeeds, the second is refused.
    const good = await fetchTicket(server, visitor.credential);
    const ok = await openSocket(server, {
      protocols: [WS_PROTOCOL, WS_TICKET_PREFIX + good],
      origin: 'https://shop.example.com',
    });
    await ok.next('welcome');
    await expect(
      openSocket(server, { protocols: [WS_PROTOCOL, WS_TICKET_PREFIX + good] }),
    ).rejects.toMatchObject({ status: 401 });
    ok.close();
  });

  it('closes an agent socket when its session is signed out', async () => {
    const agent = await connectAgent(server, admin);
    const { http } = await import('../../../test/support/clients.js');
    const res = await http(server, 'POST', '/api/v1/auth/logout', { cookie: admin.cookie, body: {} });
    expect(res.status).toBe(204);
    await agent.until((p) => p.closed !== null, 'close');
    expect(agent.closed?.code).toBe(4001);
  });
});
