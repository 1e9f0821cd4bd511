import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgent, http, PASSWORD, setupAdmin, type TestAgent } from '../../../test/support/clients.js';
import { enrollTotp, passwordSignIn } from '../../../test/support/mfa.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';

/**
 * Every registered route, called with a session that still owes its second factor (stage 'mfa') or
 * its MFA setup (stage 'enroll'): only 'signed-in' routes may answer anything but the stage's refusal.
 */
describe.each(DIALECTS)('sessions that are not complete, on every route (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: TestAgent;
  const held = { mfa: '', enroll: '' };

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = await startTestServer({ database });
    admin = await setupAdmin(server);
    await enrollTotp(server, admin);
    held.mfa = (await passwordSignIn(server, 'admin@example.com', PASSWORD)).cookie;
    const operator = await addAgent(server, admin.workspaceId, 'operator', 'op@example.com');
    const policy = await http(server, 'PUT', `/api/v1/workspaces/${admin.workspaceId}/security/mfa-policy`, {
      cookie: admin.cookie,
      body: { workspace: false, roles: ['operator'] },
    });
    expect(policy.status).toBe(200);
    const enrolling = await passwordSignIn(server, operator.me.user.email, PASSWORD);
    expect(enrolling.me.stage).toBe('enroll');
    held.enroll = enrolling.cookie;
  });
  afterAll(async () => {
    await server.close();
    await database.drop();
  });

  it('answers mfa_required / mfa_enrollment_required on every route but the ones that settle it', async () => {
    const routes = [...server.app.routeCatalog].filter(
      (r) => r.method !== 'HEAD' && (r.access.kind === 'agent' || r.access.kind === 'member'),
    );
    expect(routes.length).toBeGreaterThan(10);
    const fill = (url: string) =>
      url
        .replace(':workspaceId', admin.workspaceId)
        .replace(/:[A-Za-z]+Id/g, '00000000-0000-4000-8000-000000000000');
    const failures: string[] = [];
    for (const route of routes) {
      for (const [stage, code] of [
        ['mfa', 'mfa_required'],
        ['enroll', 'mfa_enrollment_required'],
      ] as const) {
        const res = await http(server, route.method, fill(route.url), {
          cookie: held[stage],
          headers: { accept: 'application/json' },
          ...(route.method === 'GET' ? {} : { body: {} }),
        });
        if (res.status !== 403 || res.body?.error?.code !== code)
          failures.push(
            `${route.method} ${route.url} at stage ${stage}: ${res.status} ${res.body?.error?.code}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it('lets a session owing its second factor neither add nor change factors', async () => {
    const attempts = [
      ['POST', '/api/v1/auth/totp/enrollment'],
      ['POST', '/api/v1/auth/totp/enrollment/confirm', { code: '123456' }],
      ['POST', '/api/v1/auth/passkeys/registration/options'],
    ] as const;
    for (const [method, path, body] of attempts) {
      const res = await http(server, method, path, { cookie: held.mfa, body: body ?? {} });
      expect([res.status, res.body.error.code], path).toEqual([403, 'mfa_required']);
    }
  });
});
