import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectAgent,
  createWidget,
  http,
  login,
  setupAdmin,
  startVisitor,
} from '../../../test/support/clients.js';
import { hasPostgres, hasRedis } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';

/**
 * A status change made on one node reaches the other at once: an agent on node B sees a conversation
 * resolved or snoozed on node A leave "Open" (`conversation.updated` in the inbox, `conversation.status`
 * in the open view), and come back when it is reopened.
 */
describe.skipIf(!hasPostgres || !hasRedis)('conversation lifecycle on two nodes (PostgreSQL + Redis)', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    a = await startTestServer({ database, redis: true });
    b = await startTestServer({ database, redis: true, migrate: false });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('resolved, reopened and snoozed on node A: the inbox and the open view on node B follow at once', async () => {
    const admin = await setupAdmin(a);
    const widget = await createWidget(a, admin);
    const visitor = await startVisitor(a, widget);
    const id = visitor.conversationId;
    await addAgent(a, admin.workspaceId, 'supervisor', 'sue@example.com');
    const sue = await login(b, 'sue@example.com');
    const onB = await connectAgent(b, sue);
    onB.send({ type: 'inbox.subscribe' });
    await onB.next('inbox.subscribed');
    onB.send({ type: 'subscribe', conversationId: id, afterSeq: 0 });
    await onB.next('subscribed');

    const change = async (action: string, body: unknown = {}) => {
      const res = await http(
        a,
        'POST',
        `/api/v1/workspaces/${admin.workspaceId}/conversations/${id}/${action}`,
        {
          cookie: admin.cookie,
          body,
        },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    const seen = (status: string) =>
      onB.until(
        (p) =>
          p.of('conversation.status').some((f) => f.conversationId === id && f.status === status) &&
          p
            .of('conversation.updated')
            .some((f) => f.conversation.id === id && f.conversation.status === status),
        `${status} on node B`,
      );
    const openOnB = async () =>
      (
        await http(b, 'GET', `/api/v1/workspaces/${admin.workspaceId}/conversations?status=open&view=all`, {
          cookie: sue.cookie,
        })
      ).body.items.map((c: { id: string }) => c.id);

    await change('resolve');
    await seen('resolved');
    expect(await openOnB()).not.toContain(id);
    await change('reopen');
    await seen('open');
    expect(await openOnB()).toContain(id);
    await change('snooze', { until: null });
    await seen('snoozed');
    expect(await openOnB()).not.toContain(id);
    onB.close();
  });
});
