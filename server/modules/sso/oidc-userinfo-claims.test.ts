import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../../protocol/api.js';
import type { OidcProvider } from '../../../protocol/sso.js';
import { http, sessionCookie, setupAdmin, type TestAgent } from '../../../test/support/clients.js';
import {
  type ProviderUser,
  startOpenIdProvider,
  type TestOpenIdProvider,
  walkToCallback,
} from '../../../test/support/openid-provider.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { createOidcRecheckJob } from './create-recheck-job.js';

/**
 * A provider that keeps email, name and groups out of the ID token and answers them at userinfo
 * (oidc-provider with conforming ID token claims): the sign-in and the re-check read them there.
 */
describe.each(DIALECTS)('claims from userinfo (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  let op: TestOpenIdProvider;
  let admin: TestAgent;
  let provider: OidcProvider;
  let idTokens: string[] = [];

  const HAL: ProviderUser = {
    sub: 'hal-at-corp',
    email: 'hal@corp.example',
    email_verified: true,
    name: 'Hal Userinfo',
    groups: ['support'],
  };

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = await startTestServer({ database });
    admin = await setupAdmin(server);
    op = await startOpenIdProvider({
      redirectUri: `${server.url}/api/v1/auth/oidc/callback`,
      claimsInIdToken: false,
    });
    // Look at the ID tokens as they pass (unchanged), to show the claims are not in them.
    op.tamperWith(async (token) => {
      idTokens.push(token);
      return token;
    });
    const created = await http<OidcProvider>(
      server,
      'POST',
      `/api/v1/workspaces/${admin.workspaceId}/sso/providers`,
      {
        cookie: admin.cookie,
        body: {
          name: 'Corp SSO',
          issuer: op.issuer,
          clientId: op.clientId,
          clientSecret: op.clientSecret,
          scopes: ['email', 'profile', 'groups'],
          groupsClaim: 'groups',
          mappings: [
            { group: 'support', role: 'operator' },
            { group: 'leads', role: 'supervisor' },
          ],
          domains: ['corp.example'],
          linkExistingAccounts: false,
          trustProviderMfa: false,
          mfaAcrValues: [],
        },
      },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    provider = created.body;
  });
  afterAll(async () => {
    await op?.close();
    await server?.close();
    await database?.drop();
  });

  it('signs in with the email, name and role userinfo gives, and re-checks the groups there', async () => {
    idTokens = [];
    op.signInAs(HAL);
    const walk = await walkToCallback({ parleyUrl: server.url, providerId: provider.id });
    const res = await http(server, 'GET', walk.callbackUrl.slice(server.url.length), {
      cookie: walk.bindingCookie,
      origin: null,
    });
    expect(res.headers.get('location')).toBe('/');
    const first = decodeJwt(idTokens[0] as string);
    expect(first.sub).toBe(HAL.sub);
    expect(first.groups).toBeUndefined();
    expect(first.email).toBeUndefined();
    const cookie = sessionCookie(res);
    const me = await http<Me>(server, 'GET', '/api/v1/auth/me', { cookie });
    expect(me.body.user.email).toBe('hal@corp.example');
    expect(me.body.user.name).toBe('Hal Userinfo');
    expect(me.body.role).toBe('operator');

    // The refreshed ID token has no groups either: the re-check reads them at userinfo.
    const job = createOidcRecheckJob({
      db: server.db.db,
      ring: server.app.vault.ring,
      pubsub: server.pubsub,
      log: { info: () => {}, warn: () => {} },
    });
    try {
      expect(await job.tick()).toBe('ran');
      expect((await http(server, 'GET', '/api/v1/auth/me', { cookie })).status).toBe(200);
      op.updateUser({ ...HAL, groups: ['leads'] });
      expect(await job.tick()).toBe('ran');
      expect((await http(server, 'GET', '/api/v1/auth/me', { cookie })).status).toBe(401);
      const membership = await server.db.db
        .selectFrom('memberships')
        .select('role')
        .where('user_id', '=', me.body.user.id)
        .executeTakeFirstOrThrow();
      expect(membership.role).toBe('supervisor');
      const refreshed = idTokens.slice(1).map((t) => decodeJwt(t));
      expect(refreshed.length).toBeGreaterThan(0);
      expect(refreshed.every((c) => c.groups === undefined)).toBe(true);
    } finally {
      await job.stop();
    }
  });
});
