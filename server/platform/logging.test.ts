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
import { logCapture } from '../../test/support/log-capture.js';
import { linkToken, waitForMail } from '../../test/support/mail.js';
import { createTestDatabase, startTestServer, type TestServer } from '../../test/support/test-server.js';

describe('server log', () => {
  let server: TestServer | undefined;
  afterAll(async () => server?.close());

  it('never contains a password, session token, visitor credential, ticket or message text', async () => {
    const { stream, lines } = logCapture();
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
    // Team flows: an invitation accepted, a password reset, a password change.
    const invite = await http(server, 'POST', `/api/v1/workspaces/${admin.workspaceId}/invites`, {
      cookie: again.cookie,
      body: { email: 'invitee@private.example', role: 'operator' },
    });
    expect(invite.status).toBe(201);
    const inviteToken = linkToken(
      (await waitForMail(server, again, 'invitee@private.example', /invited/)).body,
      '/invite',
    );
    const accepted = await http(server, 'POST', '/api/v1/invites/accept', {
      body: { token: inviteToken, name: 'Ivy Invitee', password: 'Invitee-Secret-Passphrase-1' },
    });
    expect(accepted.status).toBe(201);
    await http(server, 'POST', '/api/v1/auth/password-reset', { body: { email: 'invitee@private.example' } });
    const resetToken = linkToken(
      (await waitForMail(server, 'host', 'invitee@private.example', /Reset/)).body,
      '/reset-password',
    );
    const reset = await http(server, 'POST', '/api/v1/auth/password-reset/complete', {
      body: { token: resetToken, password: 'Reset-Secret-Passphrase-2' },
    });
    expect(reset.status).toBe(204);
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
      inviteToken,
      resetToken,
      'Invitee-Secret-Passphrase-1',
      'Reset-Secret-Passphrase-2',
      'invitee@private.example',
      'Ivy Invitee',
    ];
    for (const secret of secrets) expect(log, `log leaks ${secret}`).not.toContain(secret);
    // Security events are structured records of their own.
    const events = lines
      .map((l) => JSON.parse(l) as { security?: boolean; event?: string })
      .filter((l) => l.security)
      .map((l) => l.event);
    for (const e of [
      'auth.login.succeeded',
      'auth.login.failed',
      'user.invited',
      'user.invite.accepted',
      'user.password.reset',
    ])
      expect(events).toContain(e);
  });
});
