import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Me, Passkey } from '../../../protocol/index.js';
import { addAgent, http, PASSWORD, setupAdmin, type TestAgent } from '../../../test/support/clients.js';
import { logCapture } from '../../../test/support/log-capture.js';
import { freezeClock, passwordSignIn, registerPasskey } from '../../../test/support/mfa.js';
import { DIALECTS } from '../../../test/support/services.js';
import { SoftAuthenticator } from '../../../test/support/soft-authenticator.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';

describe.each(DIALECTS)('passkeys (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: TestAgent;
  let operator: TestAgent;
  let laptop: SoftAuthenticator;
  let phone: SoftAuthenticator;
  let restore = () => {};
  const logLines: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = await startTestServer({
      database,
      logStream: logCapture(logLines).stream,
    });
    admin = await setupAdmin(server);
    operator = await addAgent(server, admin.workspaceId, 'operator', 'op@example.com');
    laptop = new SoftAuthenticator(server.origin);
    phone = new SoftAuthenticator(server.origin);
  });
  afterEach(() => restore());
  afterAll(async () => {
    await server.close();
    await database.drop();
  });

  const list = async (cookie: string) =>
    (await http<{ items: Passkey[] }>(server, 'GET', '/api/v1/auth/passkeys', { cookie })).body.items;
  const signInOptions = async () =>
    (await http(server, 'POST', '/api/v1/auth/passkey/options', { body: {} })).body;
  const passwordless = (response: unknown) =>
    http(server, 'POST', '/api/v1/auth/passkey/verify', { body: { response } });

  it('registers several discoverable passkeys for one account, with names', async () => {
    const options = await http(server, 'POST', '/api/v1/auth/passkeys/registration/options', {
      cookie: admin.cookie,
      body: {},
    });
    expect(options.body.rp).toEqual({ id: new URL(server.origin).hostname, name: 'Parley' });
    expect(options.body.authenticatorSelection).toMatchObject({ residentKey: 'required' });
    // Any kind of authenticator, so a phone can be used through the cross-device flow.
    expect(options.body.authenticatorSelection.authenticatorAttachment).toBeUndefined();
    // The user handle is the opaque user id, never the email.
    expect(Buffer.from(options.body.user.id, 'base64url').toString()).toBe(admin.me.user.id);

    const first = await http(server, 'POST', '/api/v1/auth/passkeys', {
      cookie: admin.cookie,
      body: { name: 'Work laptop', response: laptop.register(options.body) },
    });
    expect(first.status).toBe(201);
    expect(first.body.passkey).toMatchObject({ name: 'Work laptop', lastUsedAt: null });
    expect((await registerPasskey(server, admin.cookie, phone, 'Phone')).status).toBe(201);

    const items = await list(admin.cookie);
    expect(items.map((p) => p.name)).toEqual(['Work laptop', 'Phone']);
    // The list shows names and dates, never the credential or its key.
    const stored = await server.db.db.selectFrom('passkeys').selectAll().execute();
    for (const row of stored) {
      expect(JSON.stringify(items)).not.toContain(row.credential_id);
      expect(JSON.stringify(items)).not.toContain(row.public_key);
    }
    const again = await http(server, 'POST', '/api/v1/auth/passkeys/registration/options', {
      cookie: admin.cookie,
      body: {},
    });
    expect(again.body.excludeCredentials.map((c: { id: string }) => c.id).sort()).toEqual(
      stored.map((r) => r.credential_id).sort(),
    );
  });

  it('uses a registration challenge once, only for the session that asked for it', async () => {
    const options = await http(server, 'POST', '/api/v1/auth/passkeys/registration/options', {
      cookie: admin.cookie,
      body: {},
    });
    const key = new SoftAuthenticator(server.origin);
    const response = key.register(options.body);
    const stolen = await http(server, 'POST', '/api/v1/auth/passkeys', {
      cookie: operator.cookie,
      body: { name: 'Not mine', response },
    });
    expect(stolen.body.error.code).toBe('webauthn_challenge_invalid');
    // The failed attempt used the challenge up.
    const late = await http(server, 'POST', '/api/v1/auth/passkeys', {
      cookie: admin.cookie,
      body: { name: 'Late', response },
    });
    expect(late.body.error.code).toBe('webauthn_challenge_invalid');

    // An expired challenge is refused too.
    const fresh = await http(server, 'POST', '/api/v1/auth/passkeys/registration/options', {
      cookie: admin.cookie,
      body: {},
    });
    restore = freezeClock(Date.now() + 6 * 60_000);
    const expired = await http(server, 'POST', '/api/v1/auth/passkeys', {
      cookie: (await passwordSignIn(server, 'op@example.com', PASSWORD)).cookie,
      body: { name: 'Slow', response: key.register(fresh.body) },
    });
    expect(expired.body.error.code).toBe('webauthn_challenge_invalid');
  });

  it('signs in without a password, straight to a complete session', async () => {
    const options = await signInOptions();
    // Discoverable: no list of credentials, so nothing reveals which accounts exist.
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe('required');
    const res = await passwordless(phone.authenticate(options));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stage: 'full', user: { id: admin.me.user.id } });
    const cookie = res.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const widgets = await http(server, 'GET', `/api/v1/workspaces/${admin.workspaceId}/widgets`, { cookie });
    expect(widgets.status).toBe(200);
    expect((await list(cookie)).find((p) => p.name === 'Phone')?.lastUsedAt).not.toBeNull();
  });

  it('refuses a replayed, foreign-origin, unverified or cloned assertion', async () => {
    const options = await signInOptions();
    const response = laptop.authenticate(options);
    expect((await passwordless(response)).status).toBe(200);
    expect((await passwordless(response)).body.error.code).toBe('webauthn_challenge_invalid');

    const phishing = laptop.authenticate(await signInOptions(), { origin: 'https://parley.example.net' });
    expect((await passwordless(phishing)).body.error.code).toBe('passkey_invalid');

    // A passkey alone must be two factors: the authenticator has to verify the user.
    const lax = new SoftAuthenticator(server.origin, { userVerified: false });
    lax.credentials.push(...laptop.credentials.map((c) => ({ ...c })));
    expect((await passwordless(lax.authenticate(await signInOptions()))).body.error.code).toBe(
      'passkey_invalid',
    );

    // A copy of the key whose signature counter falls behind shows up as a clone.
    const clone = new SoftAuthenticator(server.origin);
    clone.credentials.push(...laptop.credentials.map((c) => ({ ...c, counter: 0 })));
    expect((await passwordless(clone.authenticate(await signInOptions()))).body.error.code).toBe(
      'passkey_invalid',
    );
    const events = await server.db.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'like', 'auth.passkey_sign_in.%')
      .execute();
    expect(events.filter((e) => e.action === 'auth.passkey_sign_in.failed').length).toBe(3);
  });

  it('serves as the second factor after a password, with a new session id', async () => {
    const held = await passwordSignIn(server, 'admin@example.com', PASSWORD);
    expect(held.me.stage).toBe('mfa');
    const options = await http(server, 'POST', '/api/v1/auth/mfa/passkey/options', {
      cookie: held.cookie,
      body: {},
    });
    expect(options.body.allowCredentials).toHaveLength(2);
    // Someone else's passkey is not this user's second factor.
    const stranger = new SoftAuthenticator(server.origin);
    await registerPasskey(server, operator.cookie, stranger, 'Operator key');
    const wrong = await http(server, 'POST', '/api/v1/auth/mfa/passkey/verify', {
      cookie: held.cookie,
      body: { response: stranger.authenticate({ challenge: options.body.challenge }) },
    });
    expect(wrong.body.error.code).toBe('passkey_invalid');

    const again = await http(server, 'POST', '/api/v1/auth/mfa/passkey/options', {
      cookie: held.cookie,
      body: {},
    });
    const ok = await http<Me>(server, 'POST', '/api/v1/auth/mfa/passkey/verify', {
      cookie: held.cookie,
      body: { response: laptop.authenticate(again.body) },
    });
    expect([ok.status, ok.body.stage]).toEqual([200, 'full']);
    const cookie = ok.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    expect(cookie).not.toBe(held.cookie);
    expect((await http(server, 'GET', '/api/v1/auth/me', { cookie: held.cookie })).status).toBe(401);
  });

  it('renames and removes only the owner’s passkeys; removal needs a recent second factor', async () => {
    const signedIn = await passwordless(laptop.authenticate(await signInOptions()));
    const cookie = signedIn.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const [laptopKey, phoneKey] = await list(cookie);
    const renamed = await http(server, 'PATCH', `/api/v1/auth/passkeys/${phoneKey?.id}`, {
      cookie,
      body: { name: 'Old phone' },
    });
    expect(renamed.body.name).toBe('Old phone');
    const foreign = await http(server, 'PATCH', `/api/v1/auth/passkeys/${phoneKey?.id}`, {
      cookie: operator.cookie,
      body: { name: 'Mine now' },
    });
    expect(foreign.status).toBe(404);
    const foreignDelete = await http(server, 'DELETE', `/api/v1/auth/passkeys/${phoneKey?.id}`, {
      cookie: operator.cookie,
      body: {},
    });
    expect(foreignDelete.status).toBe(404);

    // The operator signed in with a password only: no recent second factor.
    const [operatorKey] = await list(operator.cookie);
    const stale = await http(server, 'DELETE', `/api/v1/auth/passkeys/${operatorKey?.id}`, {
      cookie: operator.cookie,
      body: {},
    });
    expect(stale.body.error.code).toBe('step_up_required');

    const removed = await http(server, 'DELETE', `/api/v1/auth/passkeys/${phoneKey?.id}`, {
      cookie,
      body: {},
    });
    expect(removed.status).toBe(204);
    expect((await list(cookie)).map((p) => p.id)).toEqual([laptopKey?.id]);
    expect((await passwordless(phone.authenticate(await signInOptions()))).body.error.code).toBe(
      'passkey_invalid',
    );
    const audit = await server.db.db
      .selectFrom('audit_events')
      .select(['action', 'target_id', 'details'])
      .where('action', 'like', 'passkey.%')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'passkey.added',
      'passkey.added',
      'passkey.added',
      'passkey.renamed',
      'passkey.removed',
    ]);
    expect(JSON.stringify(audit)).not.toContain('Old phone');
  });

  it('keeps challenges only as hashes and logs no challenge, credential or key', async () => {
    const registration = await http(server, 'POST', '/api/v1/auth/passkeys/registration/options', {
      cookie: operator.cookie,
      body: {},
    });
    const signIn = await signInOptions();
    const challenges = [registration.body.challenge as string, signIn.challenge as string];
    const stored = await server.db.db.selectFrom('webauthn_challenges').selectAll().execute();
    const credentials = await server.db.db
      .selectFrom('passkeys')
      .select(['credential_id', 'public_key'])
      .execute();
    const text = JSON.stringify(stored) + logLines.join('');
    expect(logLines.length).toBeGreaterThan(10);
    for (const secret of [...challenges, ...credentials.flatMap((c) => [c.credential_id, c.public_key])]) {
      expect(text).not.toContain(secret);
    }
    expect(logLines.join('')).toContain('"event":"passkey.added"');
  });
});
