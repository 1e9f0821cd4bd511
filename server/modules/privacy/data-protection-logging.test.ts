import { afterAll, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectAgent,
  createWidget,
  http,
  setupAdmin,
  startVisitor,
} from '../../../test/support/clients.js';
import { TEST_MASTER_KEY } from '../../../test/support/keys.js';
import { logCapture } from '../../../test/support/log-capture.js';
import { createTestDatabase, startTestServer, type TestServer } from '../../../test/support/test-server.js';
import { createRetentionJob } from '../retention/create-retention-job.js';

/** The data-protection paths log ids and counts, never what a visitor told, nor keys. */
describe('data-protection logging', () => {
  let server: TestServer | undefined;
  afterAll(async () => server?.close());

  it('never logs visitor data, notes, exports, keys or retention content', async () => {
    const { stream, lines } = logCapture();
    const database = await createTestDatabase('sqlite');
    server = await startTestServer({ database, logStream: stream });
    const admin = await setupAdmin(server);
    const operator = await addAgent(server, admin.workspaceId, 'operator', 'op@example.com');
    const widget = await createWidget(server, admin);
    const v = await startVisitor(server, widget);
    const ws = `/api/v1/workspaces/${admin.workspaceId}`;
    const secret = { name: 'Zara Quill', email: 'zara.quill@private.example', phone: '+44 20 7946 0321' };
    await http(server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${v.credential}` },
      body: secret,
    });
    await http(server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${v.credential}` },
      body: { email: 'not an email zara' },
    });
    await http(server, 'POST', `${ws}/conversations/${v.conversationId}/notes`, {
      cookie: operator.cookie,
      body: { body: 'note about Zara 77x' },
    });
    const found = await http(server, 'POST', `${ws}/visitors/lookup`, {
      cookie: admin.cookie,
      body: { email: secret.email },
    });
    expect(found.body.items).toHaveLength(1);
    const agent = await connectAgent(server, admin);
    agent.sendMessage(v.conversationId, 'reply mentioning Quill 91k');
    await agent.next('message.ack');
    agent.close();
    await http(server, 'GET', `${ws}/visitors/${v.visitor.id}/export`, { cookie: admin.cookie });
    const job = createRetentionJob({
      db: server.db.db,
      vault: server.app.vault,
      config: server.config,
      log: server.app.log,
      now: () => new Date(Date.now() + 100 * 86_400_000),
    });
    expect(await job.tick()).toBe('ran');
    await http(server, 'DELETE', `${ws}/visitors/${v.visitor.id}`, { cookie: admin.cookie, body: {} });

    const log = lines.join('');
    expect(log).toContain('retention run');
    for (const s of [
      secret.name,
      secret.email,
      secret.phone,
      'zara',
      'Zara',
      'Quill',
      '77x',
      '91k',
      TEST_MASTER_KEY,
    ]) {
      expect(log, s).not.toContain(s);
    }
  });
});
