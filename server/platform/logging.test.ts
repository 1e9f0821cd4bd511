import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import {
  connectAgent,
  connectVisitor,
  createWidget,
  fetchTicket,
  http,
  login,
  PASSWORD,
  setupAdmin,
  startVisitor,
} from '../../test/support/clients.js';
import { createTestDatabase, startTestServer, type TestServer } from '../../test/support/test-server.js';

describe('server log', () => {
  let server: TestServer | undefined;
  afterAll(async () => server?.close());

  it('never contains a password, session token, visitor credential, ticket or message text', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const database = await createTestDatabase('sqlite');
    server = await startTestServer({ database, logStream: stream });
    const admin = await setupAdmin(server);
    const again = await login(server, 'admin@example.com');
    const badLogin = await http(server, 'POST', '/api/v1/auth/login', {
      body: { email: 'admin@example.com', password: 'Wrong-But-Secret-42' },
    });
    expect(badLogin.status).toBe(401);
    const widget = await createWidget(server, admin);
    const visitor = await startVisitor(server, widget);
    const ticket = await fetchTicket(server, visitor.credential);
    const v = await connectVisitor(server, visitor.credential);
    const agent = await connectAgent(server, again);
    const secretText = 'my card is 4111 1111 1111 1111 and my email is jane@private.example';
    v.sendMessage(visitor.conversationId, secretText);
    await v.next('message.ack');
    v.send('{"type":"message.send","body":"broken json with secret');
    await v.next('error');
    agent.sendMessage(visitor.conversationId, 'operator reply with private detail 8c1f');
    await agent.next('message.ack');
    const rest = await http(
      server,
      'POST',
      `/api/v1/workspaces/${admin.workspaceId}/conversations/${visitor.conversationId}/messages`,
      {
        cookie: again.cookie,
        body: { clientId: 'rest-message-000000001', body: 'sent over REST 77aa' },
      },
    );
    expect(rest.status).toBe(201);
    v.close();
    agent.close();
    await new Promise((r) => setTimeout(r, 100));

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    const secrets = [
      PASSWORD,
      'Wrong-But-Secret-42',
      admin.cookie.split('=')[1],
      again.cookie.split('=')[1],

      visitor.credential,
      ticket,
      secretText,
      '4111 1111',
      'jane@private.example',
      'private detail 8c1f',
      'sent over REST 77aa',
      'broken json with secret',
    ];
    for (const secret of secrets) expect(log, `log leaks ${secret}`).not.toContain(secret);
  });
});
