import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_LIMITS } from '../../../protocol/calls.js';
import {
  ask,
  CANDIDATE,
  connectCall,
  enableCalls,
  endedFrame,
  outcome,
  SDP_ANSWER,
  SDP_OFFER,
} from '../../../test/support/calls.js';
import {
  addAgent,
  connectAgent,
  connectVisitor,
  createWidget,
  http,
  login,
  newSession,
  setupAdmin,
  startVisitor,
} from '../../../test/support/clients.js';
import { type LoadBalancer, startLoadBalancer } from '../../../test/support/load-balancer.js';
import { hasPostgres, hasRedis, REDIS_URL } from '../../../test/support/services.js';
import {
  createTestDatabase,
  freePort,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { twoNodesOnPostgres } from '../../../test/support/two-nodes.js';

/**
 * A call's two sides on different nodes (PostgreSQL + Redis): signals cross between them, and every
 * way a call ends reaches the other node's socket at once.
 */
describe.skipIf(!hasPostgres || !hasRedis)('calls across two nodes on PostgreSQL + Redis', () => {
  const nodes = twoNodesOnPostgres();

  it('relays between a visitor on A and an agent on B, and ends on both nodes however it ends', async () => {
    const { a, b } = nodes;
    const admin = await setupAdmin(a);
    const widget = await createWidget(a, admin);
    await enableCalls(a, admin, widget.id);
    const visitor = await startVisitor(a, widget);
    const conversationId = visitor.conversationId;
    const v = await connectVisitor(a, visitor.credential);
    v.send({ type: 'subscribe', conversationId, afterSeq: 0 });
    await v.next('subscribed');

    // Relay both ways, then the visitor on A hangs up: the agent on B hears it.
    const onB = await login(b, 'admin@example.com');
    const agent = await connectAgent(b, onB);
    const first = await connectCall(agent, v, conversationId);
    expect(
      await outcome(agent, { type: 'call.signal', callId: first, signal: { kind: 'offer', sdp: SDP_OFFER } }),
    ).toBe('ok');
    await v.until((p) => p.of('call.signal').length === 1, 'the offer on A');
    v.send({ type: 'call.signal', callId: first, signal: { kind: 'answer', sdp: SDP_ANSWER } });
    v.send({
      type: 'call.signal',
      callId: first,
      signal: { kind: 'candidate', candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 0 },
    });
    await agent.until((p) => p.of('call.signal').length === 2, 'the answer and candidate on B');
    expect((await ask(v, { type: 'call.end', callId: first })).type).toBe('call.ended');
    await agent.until((p) => endedFrame(p, first) !== undefined, 'the end on B');

    // The agent on B signs out on node A: their socket on B closes, the visitor on A is told.
    const second = await connectCall(agent, v, conversationId, 'audio');
    expect((await http(a, 'POST', '/api/v1/auth/logout', { cookie: onB.cookie, body: {} })).status).toBe(204);
    await v.until((p) => endedFrame(p, second) !== undefined, 'the end on A after the sign-out');
    expect(endedFrame(v, second)?.reason).toBe('left');

    // Handed on by a supervisor on A: the operator's call on B ends.
    v.sendMessage(conversationId, 'A person, please');
    const base = `/api/v1/workspaces/${admin.workspaceId}`;
    const ana = await addAgent(a, admin.workspaceId, 'operator', 'ana@example.com');
    const ben = await addAgent(a, admin.workspaceId, 'operator', 'ben@example.com');
    await expect
      .poll(
        async () =>
          (await http(a, 'GET', `${base}/queries?view=queue`, { cookie: ana.cookie })).body.items.length,
      )
      .toBe(1);
    const queryId = (await http(a, 'GET', `${base}/queries?view=queue`, { cookie: ana.cookie })).body.items[0]
      .id;
    expect(
      (await http(a, 'POST', `${base}/queries/${queryId}/pick`, { cookie: ana.cookie, body: {} })).status,
    ).toBe(200);
    const anaOnB = await connectAgent(b, ana);
    const third = await connectCall(anaOnB, v, conversationId, 'audio');
    const admin2 = await newSession(a, admin);
    const moved = await http(a, 'POST', `${base}/queries/${queryId}/assign`, {
      cookie: admin2.cookie,
      body: { userId: ben.me.user.id },
    });
    expect(moved.status).toBe(200);
    await anaOnB.until((p) => endedFrame(p, third) !== undefined, 'the end on B after the transfer');
    expect(endedFrame(anaOnB, third)?.reason).toBe('access_ended');
    await v.until((p) => endedFrame(p, third) !== undefined, 'the end on A after the transfer');

    // Erased on A: Ben's call on B ends, and nothing of it is left.
    const benOnB = await connectAgent(b, ben);
    const fourth = await connectCall(benOnB, v, conversationId, 'audio');
    const erased = await http(a, 'DELETE', `${base}/visitors/${visitor.visitor.id}`, {
      cookie: admin2.cookie,
      body: {},
    });
    expect(erased.status).toBe(200);
    await benOnB.until((p) => endedFrame(p, fourth) !== undefined, 'the end on B after the erasure');
    expect(endedFrame(benOnB, fourth)?.reason).toBe('erased');
    expect(await b.db.db.selectFrom('calls').select('id').execute()).toEqual([]);
    for (const p of [v, agent, anaOnB, benOnB]) p.close();
  });
});

/**
 * Two nodes as deployed behind one public address (PostgreSQL, Redis for pub/sub and the shared
 * counters): a principal's sockets on both take from one call token budget.
 */
describe.skipIf(!hasPostgres || !hasRedis)('the call token budget across two nodes', () => {
  let database: TestDatabase;
  let balancer: LoadBalancer;
  const nodes = {} as { a: TestServer; b: TestServer };
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const port = await freePort();
    const env = { REDIS_URL, PARLEY_PUBLIC_URL: `http://127.0.0.1:${port}` };
    nodes.a = await startTestServer({ database, redis: true, env });
    nodes.b = await startTestServer({ database, redis: true, migrate: false, env });
    balancer = await startLoadBalancer(port);
    balancer.sendTo(nodes.a);
  });
  afterAll(async () => {
    await balancer?.close();
    await nodes.a?.close();
    await nodes.b?.close();
    await database?.drop();
  });

  it('holds the call token budget across both nodes: more sockets on more nodes get no more tokens', async () => {
    const { a, b } = nodes;
    const admin = await setupAdmin(a);
    const widget = await createWidget(a, admin);
    await enableCalls(a, admin, widget.id);
    const visitor = await startVisitor(a, widget);
    balancer.sendTo(a);
    const onA = await connectVisitor(a, visitor.credential);
    balancer.sendTo(b);
    const onB = await connectVisitor(b, visitor.credential);
    expect([a.app.realtimeHub.size, b.app.realtimeHub.size]).toEqual([1, 1]);
    for (const p of [onA, onB]) {
      p.send({ type: 'subscribe', conversationId: visitor.conversationId, afterSeq: 0 });
      await p.next('subscribed');
    }
    const agent = await connectAgent(b, admin);
    const created = await ask(agent, {
      type: 'call.offer',
      conversationId: visitor.conversationId,
      media: 'audio',
    });
    if (created.type !== 'call.created') throw new Error(JSON.stringify(created));
    // Taken in turns on A and B: each node alone would still have tokens left.
    const results: string[] = [];
    for (let i = 0; i < CALL_LIMITS.tokenBurst + 2; i += 1)
      results.push(await outcome(i % 2 === 0 ? onA : onB, { type: 'call.token', callId: created.callId }));
    expect(results).toEqual([...Array(CALL_LIMITS.tokenBurst).fill('ok'), 'rate_limited', 'rate_limited']);
    // The agent's budget is their own: the visitor's use of it took none of theirs.
    expect(await outcome(agent, { type: 'call.token', callId: created.callId })).toBe('ok');
    for (const p of [onA, onB, agent]) p.close();
  });
});
