import { describe, expect, it } from 'vitest';
import type { Me } from '../../../protocol/api.js';
import type { OidcProvider } from '../../../protocol/sso.js';
import { connectAgent, http, sessionCookie, setupAdmin } from '../../../test/support/clients.js';
import { startOpenIdProvider, walkToCallback } from '../../../test/support/openid-provider.js';
import { hasPostgres, hasRedis } from '../../../test/support/services.js';
import { twoNodesOnPostgres } from '../../../test/support/two-nodes.js';
import { createOidcRecheckJob } from './create-recheck-job.js';

/**
 * The re-check runs on node A (it holds the lease); the person's socket is on node B. A grant revoked
 * at the provider ends the session everywhere: the socket on node B closes and node B refuses the
 * cookie. Each node runs the job; only one at a time gets the lease.
 */
describe.skipIf(!hasPostgres || !hasRedis)('OpenID Connect re-check across two nodes', () => {
  const nodes = twoNodesOnPostgres();

  it('ends the session and closes its socket on the other node', async () => {
    const { a, b } = nodes;
    const op = await startOpenIdProvider({ redirectUri: `${a.url}/api/v1/auth/oidc/callback` });
    const quiet = { info: () => {}, warn: () => {} };
    const jobA = createOidcRecheckJob({ db: a.db.db, ring: a.app.vault.ring, pubsub: a.pubsub, log: quiet });
    const jobB = createOidcRecheckJob({ db: b.db.db, ring: b.app.vault.ring, pubsub: b.pubsub, log: quiet });
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

      await op.revokeGrants('ada');
      // Both nodes tick at once: one runs, the other finds the lease taken (or runs after, finding nothing).
      const outcomes = await Promise.all([jobA.tick(), jobB.tick()]);
      expect(outcomes).toContain('ran');
      await socket.until((p) => p.closed !== null, 'the socket on node B to close');
      expect((await http(b, 'GET', '/api/v1/auth/me', { cookie })).status).toBe(401);
      const ended = await a.db.db
        .selectFrom('audit_events')
        .select('id')
        .where('action', '=', 'auth.oidc.sessions_ended')
        .execute();
      // Asked once: the lease kept the two nodes from both ending (and auditing) it.
      expect(ended).toHaveLength(1);
    } finally {
      await jobA.stop();
      await jobB.stop();
      await op.close();
    }
  });
});
