import { decodeJwt, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../../protocol/api.js';
import type { CreateOidcProviderBody, OidcProvider } from '../../../protocol/sso.js';
import { addAgent, http, sessionCookie, setupAdmin, type TestAgent } from '../../../test/support/clients.js';
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

const ADA: ProviderUser = {
  sub: 'ada-at-corp',
  email: 'ada@corp.example',
  email_verified: true,
  name: 'Ada Lovelace',
  groups: ['parley-support', 'everyone'],
};

describe.each(DIALECTS)('OpenID Connect sign-in against a real provider (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  let op: TestOpenIdProvider;
  let admin: TestAgent;
  let provider: OidcProvider;

  const providerBody = (over: Partial<CreateOidcProviderBody> = {}): CreateOidcProviderBody => ({
    name: 'Corp SSO',
    issuer: op.issuer,
    clientId: op.clientId,
    clientSecret: op.clientSecret,
    scopes: ['email', 'profile', 'groups'],
    groupsClaim: 'groups',
    mappings: [
      { group: 'parley-support', role: 'operator' },
      { group: 'parley-leads', role: 'supervisor' },
    ],
    domains: ['corp.example'],
    linkExistingAccounts: false,
    trustProviderMfa: false,
    mfaAcrValues: [],
    ...over,
  });

  /** The whole browser round trip; returns Parley's answer to the callback. */
  const signIn = async (user: ProviderUser) => {
    op.signInAs(user);
    const walk = await walkToCallback({ parleyUrl: server.url, providerId: provider.id });
    const res = await http(server, 'GET', walk.callbackUrl.slice(server.url.length), {
      cookie: walk.bindingCookie,
      origin: null,
    });
    return { res, walk };
  };
  const refusal = (res: { status: number; headers: Headers }) => {
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location') as string, server.url).searchParams.get('sso_error');
  };
  const auditActions = async () =>
    (
      await server.db.db.selectFrom('audit_events').select(['action', 'details']).orderBy('seq').execute()
    ).map((e) => ({ action: e.action, details: JSON.parse(e.details) as Record<string, unknown> }));
  const countUsers = async () =>
    Number(
      (
        await server.db.db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

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
        body: providerBody(),
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

  it('checks a provider before saving it, never shows its secret, and audits changes', async () => {
    const path = `/api/v1/workspaces/${admin.workspaceId}/sso/providers`;
    const insecure = await http(server, 'POST', path, {
      cookie: admin.cookie,
      body: providerBody({ issuer: 'http://sso.example.com', domains: ['other.example'] }),
    });
    expect(insecure.body.error.code).toBe('oidc_issuer_insecure');
    const unreachable = await http(server, 'POST', path, {
      cookie: admin.cookie,
      body: providerBody({ issuer: 'http://127.0.0.1:9', domains: ['other.example'] }),
    });
    expect(unreachable.status).toBe(400);
    expect(unreachable.body.error.code).toBe('oidc_discovery_failed');
    const list = await http(server, 'GET', path, { cookie: admin.cookie });
    expect(list.body.items).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(op.clientSecret);
    const row = await server.db.db
      .selectFrom('oidc_providers')
      .select('client_secret')
      .executeTakeFirstOrThrow();
    expect(row.client_secret).not.toContain(op.clientSecret);
    expect((await auditActions()).map((a) => a.action)).toContain('sso.provider.created');
  });

  it('the sign-in screen learns the providers for an email domain, whatever the account', async () => {
    const known = await http(server, 'GET', '/api/v1/auth/oidc/options?email=nobody-yet%40corp.example');
    expect(known.body).toEqual({ providers: [{ id: provider.id, name: 'Corp SSO' }] });
    const other = await http(server, 'GET', '/api/v1/auth/oidc/options?email=admin%40example.com');
    expect(other.body).toEqual({ providers: [] });
  });

  it('creates an account on first sign-in with the role its group maps to, in a normal session', async () => {
    const before = await countUsers();
    const { res } = await signIn(ADA);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    const set = res.headers.getSetCookie().find((c) => c.startsWith('__Host-parley_session='));
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    const me = await http<Me>(server, 'GET', '/api/v1/auth/me', { cookie: sessionCookie(res) });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('ada@corp.example');
    expect(me.body.user.name).toBe('Ada Lovelace');
    expect(me.body.role).toBe('operator');
    expect(me.body.workspace.id).toBe(admin.workspaceId);
    expect(await countUsers()).toBe(before + 1);
    const actions = await auditActions();
    expect(actions.map((a) => a.action)).toContain('user.created_by_sso');
    const success = actions.findLast((a) => a.action === 'auth.login.succeeded');
    expect(success?.details).toMatchObject({ method: 'oidc', providerId: provider.id, accountCreated: true });

    // The next sign-in finds the same account through its link.
    const again = await signIn(ADA);
    expect(again.res.headers.get('location')).toBe('/');
    expect(await countUsers()).toBe(before + 1);
  });

  it('after an administrator deletes a company account, the next company sign-in makes a new one', async () => {
    const kim = {
      sub: 'kim-at-corp',
      email: 'kim@corp.example',
      email_verified: true,
      groups: ['parley-support'],
    };
    const first = await http<Me>(server, 'GET', '/api/v1/auth/me', {
      cookie: sessionCookie((await signIn(kim)).res),
    });
    const removed = await http(
      server,
      'DELETE',
      `/api/v1/workspaces/${admin.workspaceId}/users/${first.body.user.id}`,
      {
        cookie: admin.cookie,
        body: {},
      },
    );
    expect(removed.status, JSON.stringify(removed.body)).toBe(204);
    const { res } = await signIn(kim);
    const again = await http<Me>(server, 'GET', '/api/v1/auth/me', { cookie: sessionCookie(res) });
    expect(again.body.user.email).toBe('kim@corp.example');
    expect(again.body.user.id).not.toBe(first.body.user.id);
  });

  it('refuses, and audits, a person whose groups map to no role', async () => {
    const before = await countUsers();
    const { res } = await signIn({
      sub: 'mallory',
      email: 'mallory@corp.example',
      email_verified: true,
      groups: ['marketing'],
    });
    expect(refusal(res)).toBe('sso_no_role');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('__Host-parley_session='))).toBe(false);
    expect(await countUsers()).toBe(before);
    const last = (await auditActions()).findLast((a) => a.action === 'auth.oidc.refused');
    expect(last?.details.reason).toBe('sso_no_role');
  });

  it('accepts an ID token re-signed unchanged with the provider’s key (the tampering below is what fails)', async () => {
    op.tamperWith(async (token) => op.sign(decodeJwt(token) as Record<string, unknown>));
    try {
      const { res } = await signIn(ADA);
      expect(res.headers.get('location')).toBe('/');
    } finally {
      op.tamperWith(null);
    }
  });

  describe('a tampered ID token is refused', () => {
    const resign =
      (change: (claims: Record<string, unknown>) => Record<string, unknown>) => async (token: string) =>
        op.sign(change(decodeJwt(token) as Record<string, unknown>));
    const cases: [string, () => (t: string) => Promise<string>][] = [
      [
        'signed with another key under the same kid',
        () => async (token) => {
          const { privateKey } = await generateKeyPair('RS256');
          return op.sign(decodeJwt(token) as Record<string, unknown>, { key: privateKey });
        },
      ],
      [
        'signed with a key the provider does not publish',
        () => async (token) => {
          const { privateKey } = await generateKeyPair('RS256');
          return op.sign(decodeJwt(token) as Record<string, unknown>, {
            key: privateKey,
            kid: 'unknown-kid',
          });
        },
      ],
      [
        'expired',
        () =>
          resign((c) => ({
            ...c,
            iat: Math.floor(Date.now() / 1000) - 7200,
            exp: Math.floor(Date.now() / 1000) - 3600,
          })),
      ],
      ['for another audience', () => resign((c) => ({ ...c, aud: 'someone-else' }))],
      [
        'for several audiences without azp',
        () => resign((c) => ({ ...c, aud: [op.clientId, 'someone-else'], azp: undefined })),
      ],
      ['from another issuer', () => resign((c) => ({ ...c, iss: 'https://evil.example' }))],
      ['with another nonce', () => resign((c) => ({ ...c, nonce: 'not-the-one-parley-sent' }))],
    ];
    it.each(cases)('%s', async (_label, tamper) => {
      op.tamperWith(tamper());
      try {
        const { res } = await signIn({ ...ADA, sub: 'forged-sub', email: 'forged@corp.example' });
        expect(refusal(res)).toBe('sso_failed');
        expect(res.headers.getSetCookie().some((c) => c.startsWith('__Host-parley_session='))).toBe(false);
      } finally {
        op.tamperWith(null);
      }
      expect(
        await server.db.db
          .selectFrom('users')
          .where('email', '=', 'forged@corp.example')
          .select('id')
          .executeTakeFirst(),
      ).toBeUndefined();
    });
  });

  it('refuses a callback carrying another browser’s state (mix-up / login CSRF)', async () => {
    op.signInAs(ADA);
    const victim = await walkToCallback({ parleyUrl: server.url, providerId: provider.id });
    const attacker = await walkToCallback({ parleyUrl: server.url, providerId: provider.id });
    // The attacker's callback URL, opened in the victim's browser (with the victim's binding cookie).
    const res = await http(server, 'GET', attacker.callbackUrl.slice(server.url.length), {
      cookie: victim.bindingCookie,
      origin: null,
    });
    expect(refusal(res)).toBe('sso_failed');
    const noCookie = await http(server, 'GET', victim.callbackUrl.slice(server.url.length), { origin: null });
    expect(refusal(noCookie)).toBe('sso_failed');
  });

  it('refuses a replayed callback, and a code replayed under a new state', async () => {
    const { res, walk } = await signIn(ADA);
    expect(res.headers.get('location')).toBe('/');
    const replay = await http(server, 'GET', walk.callbackUrl.slice(server.url.length), {
      cookie: walk.bindingCookie,
      origin: null,
    });
    expect(refusal(replay)).toBe('sso_expired');

    const fresh = await walkToCallback({ parleyUrl: server.url, providerId: provider.id });
    const url = new URL(fresh.callbackUrl);
    url.searchParams.set('code', new URL(walk.callbackUrl).searchParams.get('code') as string);
    const reused = await http(server, 'GET', `${url.pathname}${url.search}`, {
      cookie: fresh.bindingCookie,
      origin: null,
    });
    expect(refusal(reused)).toBe('sso_failed');
  });

  it('links an existing account only when the administrator allows it and the provider verified the email', async () => {
    await addAgent(server, admin.workspaceId, 'supervisor', 'grace@corp.example');
    const grace = {
      sub: 'grace-at-corp',
      email: 'grace@corp.example',
      email_verified: true,
      groups: ['parley-support'],
    };
    expect(refusal((await signIn(grace)).res)).toBe('sso_link_refused');

    const put = await http(
      server,
      'PUT',
      `/api/v1/workspaces/${admin.workspaceId}/sso/providers/${provider.id}`,
      {
        cookie: admin.cookie,
        body: providerBody({ linkExistingAccounts: true, clientSecret: undefined }),
      },
    );
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await auditActions()).map((a) => a.action)).toContain('sso.provider.updated');
    expect(refusal((await signIn({ ...grace, email_verified: false })).res)).toBe('sso_link_refused');
    const { res } = await signIn(grace);
    expect(res.headers.get('location')).toBe('/');
    const me = await http<Me>(server, 'GET', '/api/v1/auth/me', { cookie: sessionCookie(res) });
    // The provider's groups decide the role on every sign-in, a linked account's too (audited).
    expect(me.body.role).toBe('operator');
    expect((await auditActions()).findLast((a) => a.action === 'user.role.changed')?.details).toMatchObject({
      from: 'supervisor',
      to: 'operator',
      source: 'oidc',
      sourceId: provider.id,
    });
    expect(
      (await auditActions()).findLast((a) => a.action === 'auth.login.succeeded')?.details.accountLinked,
    ).toBe(true);
  });

  it('ends a user’s sessions and open sockets on a back-channel logout, and refuses bad logout tokens', async () => {
    const { res } = await signIn(ADA);
    const cookie = sessionCookie(res);
    const { connectAgent } = await import('../../../test/support/clients.js');
    const me = await http<Me>(server, 'GET', '/api/v1/auth/me', { cookie });
    const socket = await connectAgent(server, { cookie, me: me.body, workspaceId: admin.workspaceId });
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: op.issuer,
      aud: op.clientId,
      iat: now,
      exp: now + 120,
      jti: `logout-${now}`,
      sub: ADA.sub,
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    };
    const post = (token: string) =>
      http(server, 'POST', `/api/v1/auth/oidc/${provider.id}/backchannel-logout`, {
        rawBody: `logout_token=${encodeURIComponent(token)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        origin: null,
      });
    const { privateKey } = await generateKeyPair('RS256');
    for (const bad of [
      await op.sign({ ...claims, nonce: 'n' }),
      await op.sign({ ...claims, events: {} }),
      await op.sign({ ...claims, aud: 'someone-else' }),
      await op.sign({ ...claims, sub: undefined }),
      await op.sign(claims, { key: privateKey }),
    ]) {
      const refused = await post(bad);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('logout_token_invalid');
    }
    expect((await http(server, 'GET', '/api/v1/auth/me', { cookie })).status).toBe(200);

    const ok = await post(await op.sign(claims));
    expect(ok.status).toBe(200);
    await socket.until((p) => p.closed !== null, 'the agent socket to close');
    const after = await http(server, 'GET', '/api/v1/auth/me', { cookie });
    expect(after.status).toBe(401);
    expect(
      (await auditActions()).findLast((a) => a.action === 'auth.oidc.backchannel_logout')?.details
        .sessionsEnded,
    ).toBeGreaterThanOrEqual(1);
  });

  it('keeps the MFA policy after a company sign-in, unless the provider is trusted and asserts a second factor', async () => {
    const policy = await http(server, 'PUT', `/api/v1/workspaces/${admin.workspaceId}/security/mfa-policy`, {
      cookie: admin.cookie,
      body: { workspace: false, roles: ['operator'] },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    const stageOf = async (user: ProviderUser) => {
      const { res } = await signIn(user);
      return (await http<Me>(server, 'GET', '/api/v1/auth/me', { cookie: sessionCookie(res) })).body.stage;
    };
    const bob = {
      sub: 'bob-at-corp',
      email: 'bob@corp.example',
      email_verified: true,
      groups: ['parley-support'],
    };
    // Not trusted: the provider's word about MFA does not count.
    expect(await stageOf({ ...bob, amr: ['pwd', 'mfa'] })).toBe('enroll');
    const trust = await http(
      server,
      'PUT',
      `/api/v1/workspaces/${admin.workspaceId}/sso/providers/${provider.id}`,
      {
        cookie: admin.cookie,
        body: providerBody({
          linkExistingAccounts: true,
          trustProviderMfa: true,
          mfaAcrValues: ['urn:corp:mfa'],
        }),
      },
    );
    expect(trust.status).toBe(200);
    expect(await stageOf({ ...bob, amr: ['pwd'] })).toBe('enroll');
    expect(await stageOf({ ...bob, amr: ['pwd', 'otp'] })).toBe('full');
    expect(await stageOf({ ...bob, amr: ['pwd'], acr: 'urn:corp:mfa' })).toBe('full');
    await http(server, 'PUT', `/api/v1/workspaces/${admin.workspaceId}/security/mfa-policy`, {
      cookie: admin.cookie,
      body: { workspace: false, roles: [] },
    });
  });

  it('SSO-only turns passwords off, except the first administrator’s audited break-glass', async () => {
    await addAgent(server, admin.workspaceId, 'operator', 'olive@corp.example');
    const on = await http(server, 'PUT', `/api/v1/workspaces/${admin.workspaceId}/sso/settings`, {
      cookie: admin.cookie,
      body: { ssoOnly: true },
    });
    expect(on.body).toEqual({ ssoOnly: true });
    const { PASSWORD } = await import('../../../test/support/clients.js');
    const refused = await http(server, 'POST', '/api/v1/auth/login', {
      body: { email: 'olive@corp.example', password: PASSWORD },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('password_sign_in_off');
    // A wrong password still says only that: SSO-only reveals nothing before the password is right.
    const wrong = await http(server, 'POST', '/api/v1/auth/login', {
      body: { email: 'olive@corp.example', password: 'not the password at all' },
    });
    expect(wrong.body.error.code).toBe('invalid_credentials');

    const breakGlass = await http<Me>(server, 'POST', '/api/v1/auth/login', {
      body: { email: 'admin@example.com', password: PASSWORD },
    });
    expect(breakGlass.status).toBe(200);
    const actions = await auditActions();
    expect(actions.map((a) => a.action)).toContain('auth.login.break_glass');
    expect(actions.map((a) => a.action)).toContain('auth.login.password_off');
    expect(actions.findLast((a) => a.action === 'sso.settings.changed')?.details).toEqual({ ssoOnly: true });
    // Administrators are alerted to every break-glass sign-in.
    await expect.poll(() => countAlerts(server.db.db, 'break_glass'), { timeout: 10_000 }).toBeGreaterThan(0);

    // No reset mail for an account whose password could not sign in; the break-glass account still gets one.
    const outboxTo = async (email: string) =>
      (
        await server.db.db
          .selectFrom('outbox')
          .select('id')
          .where('to_address', '=', email)
          .where('kind', '=', 'password_reset')
          .execute()
      ).length;
    for (const email of ['olive@corp.example', 'admin@example.com'])
      expect(
        (await http(server, 'POST', '/api/v1/auth/password-reset', { body: { email } })).status,
      ).toBeLessThan(300);
    await expect.poll(() => outboxTo('admin@example.com'), { timeout: 10_000 }).toBe(1);
    expect(await outboxTo('olive@corp.example')).toBe(0);

    // The company sign-in still works.
    expect((await signIn(ADA)).res.headers.get('location')).toBe('/');
    await http(server, 'PUT', `/api/v1/workspaces/${admin.workspaceId}/sso/settings`, {
      cookie: admin.cookie,
      body: { ssoOnly: false },
    });
  });
});
