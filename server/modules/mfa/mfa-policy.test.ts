import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Me, MfaPolicy } from '../../../protocol/index.js';
import { CLOSE, WS_PROTOCOL } from '../../../protocol/ws-close-codes.js';
import {
  addAgent,
  connectAgent,
  http,
  openSocket,
  PASSWORD,
  setupAdmin,
  type TestAgent,
} from '../../../test/support/clients.js';
import {
  enrollTotp,
  freezeClock,
  passwordSignIn,
  registerPasskey,
  totpCode,
} from '../../../test/support/mfa.js';
import { DIALECTS } from '../../../test/support/services.js';
import { SoftAuthenticator } from '../../../test/support/soft-authenticator.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';

describe.each(DIALECTS)('required MFA (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: TestAgent;
  let supervisor: TestAgent;
  let operator: TestAgent;
  let restore = () => {};

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = await startTestServer({ database });
    admin = await setupAdmin(server);
    supervisor = await addAgent(server, admin.workspaceId, 'supervisor', 'sup@example.com');
    operator = await addAgent(server, admin.workspaceId, 'operator', 'op@example.com');
  });
  afterEach(() => restore());
  afterAll(async () => {
    await server.close();
    await database.drop();
  });

  const policyPath = () => `/api/v1/workspaces/${admin.workspaceId}/security/mfa-policy`;
  const setPolicy = (cookie: string, body: MfaPolicy) => http(server, 'PUT', policyPath(), { cookie, body });
  const conversations = (cookie: string) =>
    http(server, 'GET', `/api/v1/workspaces/${admin.workspaceId}/conversations`, { cookie });

  it('lets only administrators change it, and not to a rule that locks out their own session', async () => {
    expect((await http(server, 'GET', policyPath(), { cookie: admin.cookie })).body).toEqual({
      workspace: false,
      roles: [],
    });
    expect((await setPolicy(supervisor.cookie, { workspace: false, roles: ['operator'] })).status).toBe(403);
    const self = await setPolicy(admin.cookie, { workspace: true, roles: [] });
    expect([self.status, self.body.error.code]).toEqual([409, 'mfa_not_enrolled']);
    const bad = await setPolicy(admin.cookie, { workspace: false, roles: ['operator', 'operator'] });
    expect(bad.body.error.code).toBe('invalid_request');
  });

  it('sends covered members without MFA to enrollment at once, and closes their sockets', async () => {
    const socket = await connectAgent(server, operator);
    const supervisorSocket = await connectAgent(server, supervisor);
    const res = await setPolicy(admin.cookie, { workspace: false, roles: ['operator'] });
    expect(res.body).toEqual({ workspace: false, roles: ['operator'] });
    await socket.until((p) => p.closed !== null, 'operator socket closed');
    expect(socket.closed?.code).toBe(CLOSE.sessionEnded);

    const blocked = await conversations(operator.cookie);
    expect([blocked.status, blocked.body.error.code]).toEqual([403, 'mfa_enrollment_required']);
    expect((await http<Me>(server, 'GET', '/api/v1/auth/me', { cookie: operator.cookie })).body.stage).toBe(
      'enroll',
    );
    // Roles the policy does not cover carry on.
    expect((await conversations(supervisor.cookie)).status).toBe(200);
    supervisorSocket.send({ type: 'ping', rid: 'still-here' });
    await supervisorSocket.next('pong');
    supervisorSocket.close();
    const audit = await server.db.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'mfa.policy.changed')
      .execute();
    expect(audit.map((a) => JSON.parse(a.details))).toEqual([
      { workspace: false, roles: 'operator', previousWorkspace: false, previousRoles: '' },
    ]);
  });

  it('holds a covered sign-in at enrollment until a factor is set up, then issues a new session', async () => {
    const held = await passwordSignIn(server, 'op@example.com', PASSWORD);
    expect(held.me.stage).toBe('enroll');
    for (const res of [
      await conversations(held.cookie),
      await http(server, 'POST', '/api/v1/auth/mfa/verify', {
        cookie: held.cookie,
        body: { code: '123456' },
      }),
    ]) {
      expect([res.status, res.body.error.code]).toEqual([403, 'mfa_enrollment_required']);
    }
    await expect(openSocket(server, { protocols: [WS_PROTOCOL], cookie: held.cookie })).rejects.toMatchObject(
      {
        status: 403,
        body: expect.stringContaining('mfa_enrollment_required'),
      },
    );

    const enrolled = await enrollTotp(server, { ...operator, cookie: held.cookie });
    expect(enrolled.agent.me.stage).toBe('full');
    expect(enrolled.agent.cookie).not.toBe(held.cookie);
    expect((await http(server, 'GET', '/api/v1/auth/me', { cookie: held.cookie })).status).toBe(401);
    expect((await conversations(enrolled.agent.cookie)).status).toBe(200);
    const probe = await connectAgent(server, enrolled.agent);
    probe.close();
    // From now on the password leads to the second factor instead.
    expect((await passwordSignIn(server, 'op@example.com', PASSWORD)).me.stage).toBe('mfa');

    // The last required factor cannot be removed, even with a valid code.
    restore = freezeClock(Date.now() + 60_000);
    const remove = await http(server, 'DELETE', '/api/v1/auth/totp', {
      cookie: enrolled.agent.cookie,
      body: { code: totpCode(enrolled.secret) },
    });
    expect([remove.status, remove.body.error.code]).toEqual([403, 'forbidden']);
  });

  it('accepts a passkey as the enrollment, and covers the whole workspace once the admin has MFA', async () => {
    const key = new SoftAuthenticator(server.origin);
    const added = await registerPasskey(server, admin.cookie, key, 'Admin key');
    expect(added.status).toBe(201);
    // A complete session adding a passkey keeps its id.
    expect(added.headers.getSetCookie()).toEqual([]);
    const all = await setPolicy(admin.cookie, { workspace: true, roles: [] });
    expect(all.status).toBe(200);
    expect((await conversations(supervisor.cookie)).body.error.code).toBe('mfa_enrollment_required');

    const held = await passwordSignIn(server, 'sup@example.com', PASSWORD);
    expect(held.me.stage).toBe('enroll');
    const phone = new SoftAuthenticator(server.origin);
    const res = await registerPasskey(server, held.cookie, phone, 'Phone');
    expect(res.status).toBe(201);
    expect(res.body.me.stage).toBe('full');
    const cookie = res.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    expect(cookie).not.toBe(held.cookie);
    expect((await conversations(cookie)).status).toBe(200);

    // Turning the policy off lets new sign-ins without MFA straight in again.
    expect((await setPolicy(admin.cookie, { workspace: false, roles: [] })).status).toBe(200);
    const outsider = await addAgent(server, admin.workspaceId, 'operator', 'op2@example.com');
    expect(outsider.me.stage).toBe('full');
  });
});
