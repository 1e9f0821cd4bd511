import { describe, expect, it } from 'vitest';
import type { Me } from '../../../protocol/api.js';
import type { OidcProvider } from '../../../protocol/sso.js';
import { connectAgent, http, sessionCookie, setupAdmin } from '../../../test/support/clients.js';
import { startOpenIdProvider, walkToCallback } from '../../../test/support/openid-provider.js';
import { hasPostgres, hasRedis } from '../../../test/support/services.js';
import { twoNodesOnPostgres } from '../../../test/support/two-nodes.js';

/**
 * The provider's back-channel logout reaches one node; the person's socket is on the other. The
 * session ends everywhere at once: the socket on node B closes, and node B refuses the cookie.
 */
describe.skipIf(!hasPostgres || !hasRedis)('back-channel logout across two nodes', () => {
  const nodes = twoNodesOnPostgres();

  it('ends the session and closes its socket on the other node', async () => {
    const { a, b } = nodes;
    const op = await startOpenIdProvider({ redirectUri: `${a.url}/api/v1/auth/oidc/callback` });
    try {
      const admin = await setupAdmin(a);
      const created = await http<OidcProvider>(
        a,
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
            mappings: [{ group: 'support', role: 'operator' }],
            domains: ['corp.example'],
            linkExistingAccounts: false,
            trustProviderMfa: false,
            mfaAcrValues: [],
          },
        },
      );
      expect(created.status).toBe(201);
      op.signInAs({ sub: 'ada', email: 'ada@corp.example', email_verified: true, groups: ['support'] });
      const walk = await walkToCallback({ parleyUrl: a.url, providerId: created.body.id });
      const callback = await http(a, 'GET', walk.callbackUrl.slice(a.url.length), {
        cookie: walk.bindingCookie,
        origin: null,
      });
      const cookie = sessionCookie(callback);
      const me = await http<Me>(b, 'GET', '/api/v1/auth/me', { cookie });
      expect(me.status).toBe(200);
      const socket = await connectAgent(b, { cookie, me: me.body, workspaceId: admin.workspaceId });

      const now = Math.floor(Date.now() / 1000);
      const token = await op.sign({
        iss: op.issuer,
        aud: op.clientId,
        iat: now,
        exp: now + 120,
        jti: `two-nodes-${now}`,
        sub: 'ada',
        events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
      });
      const res = await http(a, 'POST', `/api/v1/auth/oidc/${created.body.id}/backchannel-logout`, {
        rawBody: `logout_token=${encodeURIComponent(token)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        origin: null,
      });
      expect(res.status).toBe(200);
      await socket.until((p) => p.closed !== null, 'the socket on node B to close');
      expect((await http(b, 'GET', '/api/v1/auth/me', { cookie })).status).toBe(401);
    } finally {
      await op.close();
    }
  });
});
