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

/** Receipts cross nodes: a visitor on A, the same agent on A (desk) and on B (phone). */
describe.skipIf(!hasPostgres || !hasRedis)('read receipts on two nodes (PostgreSQL + Redis)', () => {
  const nodes = twoNodesOnPostgres();

  it('a read on one node reaches the visitor and the agent’s device on the other', async () => {
    const { a, b } = nodes;
    const admin = await setupAdmin(a);
    const widget = await createWidget(a, admin);
    const visitor = await startVisitor(a, widget);
    const conversationId = visitor.conversationId;
    const onB = await login(b, 'admin@example.com');

    const phone = await connectAgent(b, onB);
    phone.send({ type: 'inbox.subscribe' });
    await phone.next('inbox.subscribed');
    const v = await connectVisitor(a, visitor.credential);
    v.send({ type: 'subscribe', conversationId, afterSeq: 0 });
    await v.next('subscribed');
    v.sendMessage(conversationId, 'Hello from node A');
    await v.next('message.ack');
    const unread = async () =>
      (
        await http(b, 'GET', `/api/v1/workspaces/${admin.workspaceId}/read-state`, { cookie: onB.cookie })
      ).body.items.find((i: { conversationId: string }) => i.conversationId === conversationId)?.unread;
    expect(await unread()).toBe(2);

    const desk = await connectAgent(a, admin);
    desk.send({ type: 'receipt', rid: 'd1', conversationId, state: 'read', seq: 2 });
    await desk.until((p) => p.of('receipt').some((f) => f.rid === 'd1'), 'd1');
    await phone.until(
      (p) => p.of('receipt').some((f) => f.reader.kind === 'agent' && f.readSeq === 2),
      'the desk’s read on the phone',
    );
    await v.until(
      (p) => p.of('receipt').some((f) => f.reader.kind === 'agent' && f.readSeq === 2),
      'Seen for the visitor',
    );
    expect(await unread()).toBe(0);
    v.close();
    desk.close();
    phone.close();
  });
});
