import { describe, expect, it } from 'vitest';
import {
  connectAgent,
  connectVisitor,
  createWidget,
  http,
  login,
  setupAdmin,
  startVisitor,
} from '../../../test/support/clients.js';
import { hasPostgres, hasRedis } from '../../../test/support/services.js';
import { twoNodesOnPostgres } from '../../../test/support/two-nodes.js';

/** Two Parley nodes sharing one PostgreSQL database and one Redis, as behind a load balancer. */
describe.skipIf(!hasPostgres || !hasRedis)('two nodes on PostgreSQL + Redis', () => {
  const nodes = twoNodesOnPostgres();

  it('carries messages both ways, in order, between a visitor on A and an operator on B', async () => {
    const { a, b } = nodes;
    const admin = await setupAdmin(a);
    const widget = await createWidget(a, admin);
    const visitor = await startVisitor(a, widget);
    const onB = await login(b, 'admin@example.com');

    const agent = await connectAgent(b, onB);
    agent.send({ type: 'inbox.subscribe' });
    await agent.next('inbox.subscribed');
    agent.send({ type: 'subscribe', conversationId: visitor.conversationId, afterSeq: 0 });
    await agent.next('subscribed');
    const v = await connectVisitor(a, visitor.credential);
    v.send({ type: 'subscribe', conversationId: visitor.conversationId, afterSeq: 0 });
    await v.next('subscribed');

    const n = 30;
    for (let i = 0; i < n; i++) {
      v.sendMessage(visitor.conversationId, `visitor ${i}`);
      agent.sendMessage(visitor.conversationId, `agent ${i}`);
    }
    await v.next('message.ack', n);
    await agent.next('message.ack', n);
    const total = 2 * n + 1;
    await agent.next('message.new', total);
    await v.next('message.new', total);
    const expectedSeqs = Array.from({ length: total }, (_, i) => i + 1);
    expect(agent.of('message.new').map((f) => f.message.seq)).toEqual(expectedSeqs);
    expect(v.of('message.new').map((f) => f.message.seq)).toEqual(expectedSeqs);
    const fromVisitor = agent
      .of('message.new')
      .filter((f) => f.message.author.kind === 'visitor')
      .map((f) => f.message.body);
    expect(fromVisitor).toEqual(Array.from({ length: n }, (_, i) => `visitor ${i}`));
    const fromAgent = v
      .of('message.new')
      .filter((f) => f.message.author.kind === 'agent')
      .map((f) => f.message.body);
    expect(fromAgent).toEqual(Array.from({ length: n }, (_, i) => `agent ${i}`));
    await agent.until((p) => p.of('conversation.updated').length > 0, 'inbox update from node A');

    v.send({ type: 'typing', conversationId: visitor.conversationId, state: 'start' });
    await agent.next('typing');

    // Signing out on node A closes the operator's socket on node B.
    const out = await http(a, 'POST', '/api/v1/auth/logout', { cookie: onB.cookie, body: {} });
    expect(out.status).toBe(204);
    await agent.until((p) => p.closed !== null, 'socket on B closed');
    expect(agent.closed?.code).toBe(4001);
    v.close();
  });
});
