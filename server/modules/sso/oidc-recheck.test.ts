import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../../protocol/api.js';
import type { OidcProvider } from '../../../protocol/sso.js';
import { CLOSE } from '../../../protocol/ws-close-codes.js';
import {
  connectAgent,
  http,
  sessionCookie,
  setupAdmin,
  type TestAgent,
} from '../../../test/support/clients.js';
import { TEST_MASTER_KEY, TEST_MASTER_KEY_2 } from '../../../test/support/keys.js';
import {
  type ProviderUser,
  startOpenIdProvider,
  type TestOpenIdProvider,
  walkToCallback,
} from '../../../test/support/openid-provider.js';
import { countAlerts } from '../../../test/support/security-alerts.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { openKeyRing } from '../../platform/crypto/key-ring.js';
import { createOidcRecheckJob } from './create-recheck-job.js';
import { openGrantTokens, rewrapGrantTokens, sealGrantTokens } from './grant-tokens.js';

const quiet = { info: () => {}, warn: () => {} };

const person = (name: string, groups: string[]): ProviderUser => ({
  sub: `${name}-at-corp`,
  email: `${name}@corp.example`,
  email_verified: true,
  name,
  groups,
});

/**
 * The periodic re-check against a real OpenID Provider (oidc-provider): the refresh token Parley
 * keeps (sealed) is used again; a revoked grant, a deleted account, or groups that no longer map end
 * the person's sessions and close their sockets; a changed group changes the role through the one
 * role-change path; an unreachable provider ends nobody's session and is recorded and alerted.
 */
describe.each(DIALECTS)('OpenID Connect re-check against a real provider (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  let op: TestOpenIdProvider;
  let admin: TestAgent;
  let provider: OidcProvider;
  let job: ReturnType<typeof createOidcRecheckJob>;

  const signIn = async (user: ProviderUser) => {
    op.signInAs(user);
    const walk = await walkToCallback({ parleyUrl: server.url, providerId: provider.id });
    const res = await http(server, 'GET', walk.callbackUrl.slice(server.url.length), {
      cookie: walk.bindingCookie,
      origin: null,
    });
    expect(res.headers.get('location')).toBe('/');
    const cookie = sessionCookie(res);
    const me = await http<Me>(server, 'GET', '/api/v1/auth/me', { cookie });
    expect(me.status).toBe(200);
    return { cookie, me: me.body };
  };
  const meStatus = async (cookie: string) =>
    (await http(server, 'GET', '/api/v1/auth/me', { cookie })).status;
  const audits = async (action: string) =>
    (
      await server.db.db
        .selectFrom('audit_events')
        .select(['details', 'target_id'])
        .where('action', '=', action)
        .orderBy('seq')
        .execute()
    ).map((e) => ({ target: e.target_id, details: JSON.parse(e.details) as Record<string, unknown> }));
  const providerScreen = async () =>
    (
      await http<{ items: OidcProvider[] }>(
        server,
        'GET',
        `/api/v1/workspaces/${admin.workspaceId}/sso/providers`,
        { cookie: admin.cookie },
      )
    ).body.items.find((p) => p.id === provider.id) as OidcProvider;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = await startTestServer({ database });
    admin = await setupAdmin(server);
    op = await startOpenIdProvider({ redirectUri: `${server.url}/api/v1/auth/oidc/callback` });
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
    job = createOidcRecheckJob({
      db: server.db.db,
      ring: server.app.vault.ring,
      pubsub: server.pubsub,
      log: quiet,
    });
  });
  afterAll(async () => {
    await job?.stop();
    await op?.close();
    await server?.close();
    await database?.drop();
  });

  it('keeps the refresh token sealed (re-wrapped by key rotation), and a re-check of an active account leaves it signed in', async () => {
    expect((await providerScreen()).lastRecheck).toBeNull();
    const ada = await signIn(person('ada', ['support']));
    const link = await server.db.db
      .selectFrom('oidc_links')
      .selectAll()
      .where('user_id', '=', ada.me.user.id)
      .executeTakeFirstOrThrow();
    const tokens = openGrantTokens(server.app.vault.ring, link.id, link.tokens);
    // offline_access was asked for (the provider lists it): a refresh token, never stored in the clear.
    expect(tokens.refresh).toBeTruthy();
    expect(link.tokens).not.toContain(tokens.refresh as string);

    // `parley keys rotate` re-wraps it under the new key, and back.
    const both = openKeyRing({ kind: 'env', keys: [TEST_MASTER_KEY_2, TEST_MASTER_KEY] }).ring;
    expect(await rewrapGrantTokens({ db: server.db.db, ring: both })).toBe(1);
    expect(await rewrapGrantTokens({ db: server.db.db, ring: both })).toBe(0);
    const rewrapped = await server.db.db
      .selectFrom('oidc_links')
      .select('tokens')
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    const newOnly = openKeyRing({ kind: 'env', keys: [TEST_MASTER_KEY_2] }).ring;
    expect(openGrantTokens(newOnly, link.id, rewrapped.tokens).refresh).toBe(tokens.refresh);
    const back = openKeyRing({ kind: 'env', keys: [TEST_MASTER_KEY, TEST_MASTER_KEY_2] }).ring;
    expect(await rewrapGrantTokens({ db: server.db.db, ring: back })).toBe(1);

    expect(await job.tick()).toBe('ran');
    expect(await meStatus(ada.cookie)).toBe(200);
    const screen = await providerScreen();
    expect(screen.lastRecheck).toMatchObject({ result: 'ok', ended: 0, roleChanges: 0 });
    expect(screen.lastRecheck?.accounts).toBeGreaterThanOrEqual(1);
  });

  it('ends the session and closes the socket when the grant is revoked at the provider', async () => {
    const bea = await signIn(person('bea', ['support']));
    const socket = await connectAgent(server, {
      cookie: bea.cookie,
      me: bea.me,
      workspaceId: admin.workspaceId,
    });
    await op.revokeGrants('bea-at-corp');
    expect(await job.tick()).toBe('ran');
    await socket.until((p) => p.closed !== null, 'the socket to close');
    expect(socket.closed?.code).toBe(CLOSE.sessionEnded);
    expect(await meStatus(bea.cookie)).toBe(401);
    const ended = (await audits('auth.oidc.sessions_ended')).find((e) => e.target === bea.me.user.id);
    expect(ended?.details).toMatchObject({ reason: 'access_revoked', providerId: provider.id });
    // The dead refresh token is not kept.
    const link = await server.db.db
      .selectFrom('oidc_links')
      .select('tokens')
      .where('user_id', '=', bea.me.user.id)
      .executeTakeFirstOrThrow();
    expect(link.tokens).toBeNull();
  });

  it('ends the session and closes the socket when the account is deleted at the provider', async () => {
    const cai = await signIn(person('cai', ['support']));
    const socket = await connectAgent(server, {
      cookie: cai.cookie,
      me: cai.me,
      workspaceId: admin.workspaceId,
    });
    op.deleteUser('cai-at-corp');
    expect(await job.tick()).toBe('ran');
    await socket.until((p) => p.closed !== null, 'the socket to close');
    expect(await meStatus(cai.cookie)).toBe(401);
  });

  it('asks userinfo with the access token when there is no refresh token; a deleted account answers 401', async () => {
    const dee = await signIn(person('dee', ['support']));
    const link = await server.db.db
      .selectFrom('oidc_links')
      .selectAll()
      .where('user_id', '=', dee.me.user.id)
      .executeTakeFirstOrThrow();
    const ring = server.app.vault.ring;
    const { refresh: _dropped, ...accessOnly } = openGrantTokens(ring, link.id, link.tokens);
    expect(accessOnly.access).toBeTruthy();
    await server.db.db
      .updateTable('oidc_links')
      .set({ tokens: sealGrantTokens(ring, link.id, accessOnly) })
      .where('id', '=', link.id)
      .execute();
    // Still there: userinfo answers, and the session stays.
    expect(await job.tick()).toBe('ran');
    expect(await meStatus(dee.cookie)).toBe(200);
    op.deleteUser('dee-at-corp');
    expect(await job.tick()).toBe('ran');
    expect(await meStatus(dee.cookie)).toBe(401);
  });

  it('applies a changed group as a role change (audited, sessions end) and ends access when no group maps', async () => {
    const eve = person('eve', ['support']);
    const first = await signIn(eve);
    expect(first.me.role).toBe('operator');
    const socket = await connectAgent(server, {
      cookie: first.cookie,
      me: first.me,
      workspaceId: admin.workspaceId,
    });
    op.updateUser({ ...eve, groups: ['leads'] });
    expect(await job.tick()).toBe('ran');
    // The open socket and session carried the old role: they end, and the next sign-in has the new one.
    await socket.until((p) => p.closed !== null, 'the socket to close');
    expect(await meStatus(first.cookie)).toBe(401);
    const change = (await audits('user.role.changed')).find((e) => e.target === first.me.user.id);
    expect(change?.details).toMatchObject({
      from: 'operator',
      to: 'supervisor',
      source: 'oidc',
      sourceId: provider.id,
    });
    expect((await providerScreen()).lastRecheck?.roleChanges).toBe(1);
    const second = await signIn({ ...eve, groups: ['leads'] });
    expect(second.me.role).toBe('supervisor');

    op.updateUser({ ...eve, groups: ['marketing'] });
    expect(await job.tick()).toBe('ran');
    expect(await meStatus(second.cookie)).toBe(401);
    const ended = (await audits('auth.oidc.sessions_ended')).filter((e) => e.target === first.me.user.id);
    expect(ended.map((e) => e.details.reason)).toContain('no_mapped_group');
  });

  it('applies the mapped role at every sign-in, not only the first', async () => {
    const fay = person('fay', ['leads']);
    const first = await signIn(fay);
    expect(first.me.role).toBe('supervisor');
    const second = await signIn({ ...fay, groups: ['support'] });
    expect(second.me.role).toBe('operator');
    // The session with the old role ended with the change.
    expect(await meStatus(first.cookie)).toBe(401);
    expect(await meStatus(second.cookie)).toBe(200);
    const change = (await audits('user.role.changed')).find((e) => e.target === first.me.user.id);
    expect(change?.details).toMatchObject({ from: 'supervisor', to: 'operator', source: 'oidc' });
  });

  it('asks about several people at once and ends exactly those the provider no longer vouches for', async () => {
    // One after the other: the test provider signs in whoever `signInAs` named last.
    const people: { i: number; cookie: string }[] = [];
    for (let i = 0; i < 12; i++) people.push({ i, ...(await signIn(person(`p${i}`, ['support']))) });
    for (const p of people) if (p.i % 3 === 0) await op.revokeGrants(`p${p.i}-at-corp`);
    expect(await job.tick()).toBe('ran');
    for (const p of people) expect([p.i, await meStatus(p.cookie)]).toEqual([p.i, p.i % 3 === 0 ? 401 : 200]);
  });

  it('keeps sessions while the provider is unreachable, records it, and raises one alert', async () => {
    const gus = await signIn(person('gus', ['support']));
    op.failWith(503);
    try {
      expect(await job.tick()).toBe('ran');
      expect(await job.tick()).toBe('ran');
      expect(await meStatus(gus.cookie)).toBe(200);
      expect((await providerScreen()).lastRecheck?.result).toBe('unreachable');
      expect(await audits('auth.oidc.recheck_unreachable')).toHaveLength(1);
      // The alert is raised after the audited change commits (register-alerts.ts), not inside the tick.
      await expect.poll(() => countAlerts(server.db.db, 'provider_unreachable'), { timeout: 10_000 }).toBe(1);
    } finally {
      op.failWith(null);
    }
    expect(await job.tick()).toBe('ran');
    expect(await meStatus(gus.cookie)).toBe(200);
    expect((await providerScreen()).lastRecheck?.result).toBe('ok');
    expect(await audits('auth.oidc.recheck_recovered')).toHaveLength(1);
  });
});
