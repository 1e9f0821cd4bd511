import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connectVisitor,
  createWidget,
  http,
  setupAdmin,
  startVisitor,
} from '../../../test/support/clients.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';

/**
 * Delivery does not hang on pub/sub. Two nodes share the database but no pub/sub at all (each has
 * its own in-process one), the extreme of Redis being down or a node dying right after a commit:
 * nothing one node publishes reaches the other. Open sockets still receive every committed message,
 * in order and once, from the database within a bounded time; no later message is needed.
 */
describe.each(DIALECTS)('open sockets catch up without pub/sub (%s)', (dialect) => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    a = await startTestServer({ database });
    b = await startTestServer({ database, migrate: false });
  });
  afterEach(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('delivers messages stored on another node to a subscribed visitor, in order, once', async () => {
    const admin = await setupAdmin(a);
    const widget = await createWidget(a, admin);
    const visitor = await startVisitor(a, widget);
    const v = await connectVisitor(a, visitor.credential);
    v.send({ type: 'subscribe', conversationId: visitor.conversationId, afterSeq: 0 });
    await v.next('subscribed');
    expect(v.of('message.new')).toHaveLength(1); // the greeting

    // An operator answers on node B: B commits and publishes, but A never hears of it.
    const base = `/api/v1/workspaces/${admin.workspaceId}/conversations/${visitor.conversationId}/messages`;
    for (let i = 0; i < 3; i += 1) {
      const sent = await http(b, 'POST', base, {
        cookie: admin.cookie,
        body: { clientId: `catch-up-reply-000${i}`, body: `reply ${i}` },
      });
      expect(sent.status).toBe(201);
    }
    await v.until((p) => p.of('message.new').length >= 4, 'the replies, read from the database', 15_000);
    expect(v.of('message.new').map((f) => f.message.seq)).toEqual([1, 2, 3, 4]);
    expect(
      v
        .of('message.new')
        .map((f) => f.message.body)
        .slice(1),
    ).toEqual(['reply 0', 'reply 1', 'reply 2']);

    // A resend on B is answered `duplicate` and published again; the visitor still sees it once.
    const again = await http(b, 'POST', base, {
      cookie: admin.cookie,
      body: { clientId: 'catch-up-reply-0000', body: 'reply 0' },
    });
    expect(again.body).toMatchObject({ seq: 2, duplicate: true });
    // Let at least one more catch-up pass go by: nothing is delivered twice.
    await new Promise((r) => setTimeout(r, 3_500));
    expect(v.of('message.new')).toHaveLength(4);
    v.close();
  });
});
