import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Me, MfaStatus } from '../../../protocol/index.js';
import { MFA_LIMITS } from '../../../protocol/mfa.js';
import { WS_PROTOCOL } from '../../../protocol/ws-close-codes.js';
import { http, openSocket, PASSWORD, setupAdmin, type TestAgent } from '../../../test/support/clients.js';
import { logCapture } from '../../../test/support/log-capture.js';
import {
  enrollTotp,
  freezeClock,
  passwordSignIn,
  regenerateCodes,
  totpCode,
  verifyCode,
} from '../../../test/support/mfa.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { clock } from '../../platform/clock.js';
import { openTotpSecret } from './totp-secret-seal.js';

const STEP = MFA_LIMITS.totpPeriodSeconds * 1000;
const EMAIL = 'admin@example.com';

describe.each(DIALECTS)('TOTP and recovery codes (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: TestAgent;
  let secret = '';
  let recoveryCodes: string[] = [];
  const logLines: string[] = [];
  // The middle of a time step, so "±1 step" is unambiguous.
  const t0 = Math.floor(Date.now() / STEP) * STEP + STEP / 2;
  let restore = () => {};
  const at = (steps: number) => t0 + steps * STEP;
  const setTime = (steps: number) => {
    clock.now = () => at(steps);
  };

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = await startTestServer({
      database,
      logStream: logCapture(logLines).stream,
    });
    admin = await setupAdmin(server);
  });
  afterEach(() => restore());
  afterAll(async () => {
    await server.close();
    await database.drop();
  });

  const status = (cookie: string) => http<MfaStatus>(server, 'GET', '/api/v1/auth/mfa', { cookie });

  it('sets up TOTP with a first code, then asks for a second factor after the password', async () => {
    restore = freezeClock(at(0));
    const before = await status(admin.cookie);
    expect(before.body).toMatchObject({ totp: false, passkeys: 0, required: false });

    const start = await http(server, 'POST', '/api/v1/auth/totp/enrollment', {
      cookie: admin.cookie,
      body: {},
    });
    expect(start.status).toBe(201);
    expect(start.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Parley:admin%40example\.com\?/);
    expect(start.body.otpauthUri).toContain(`secret=${start.body.secret}`);
    // 160-bit secret: 32 base32 characters.
    expect(start.body.secret).toMatch(/^[A-Z2-7]{32}$/);

    const wrong = await http(server, 'POST', '/api/v1/auth/totp/enrollment/confirm', {
      cookie: admin.cookie,
      body: { code: totpCode(start.body.secret, at(5)) },
    });
    expect(wrong.body.error.code).toBe('mfa_code_invalid');
    const confirm = await http(server, 'POST', '/api/v1/auth/totp/enrollment/confirm', {
      cookie: admin.cookie,
      body: { code: totpCode(start.body.secret) },
    });
    expect(confirm.status).toBe(200);
    // A complete session that adds a factor keeps its id.
    expect(confirm.headers.getSetCookie()).toEqual([]);
    secret = start.body.secret;
    recoveryCodes = confirm.body.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    // 20 characters of a 32-letter alphabet: 100 bits each.
    for (const code of recoveryCodes)
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}(-[0-9a-hjkmnp-tv-z]{5}){3}$/);

    const again = await http(server, 'POST', '/api/v1/auth/totp/enrollment', {
      cookie: admin.cookie,
      body: {},
    });
    expect(again.body.error.code).toBe('mfa_already_enrolled');
    expect((await status(admin.cookie)).body).toMatchObject({ totp: true, recoveryCodesLeft: 10 });

    const signIn = await passwordSignIn(server, EMAIL, PASSWORD);
    expect(signIn.me.stage).toBe('mfa');
  });

  it('stores the secret sealed to the user and the recovery codes only as hashes', async () => {
    const row = await server.db.db.selectFrom('totp_credentials').selectAll().executeTakeFirstOrThrow();
    expect(row.secret_sealed).not.toContain(secret);
    const ring = server.app.vault.ring;
    expect(openTotpSecret(ring, admin.me.user.id, row.secret_sealed)).toBe(secret);
    // The user id is the associated data: the sealed value is useless on another user's row.
    expect(() => openTotpSecret(ring, crypto.randomUUID(), row.secret_sealed)).toThrow(/does not decrypt/);
    const stored = await server.db.db.selectFrom('recovery_codes').select('code_hash').execute();
    expect(stored).toHaveLength(10);
    const dump = JSON.stringify(stored);
    for (const code of recoveryCodes) {
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(code.replaceAll('-', ''));
    }
  });

  it('holds a password-only session at the second factor: no API, no socket', async () => {
    const { cookie } = await passwordSignIn(server, EMAIL, PASSWORD);
    const widgets = await http(server, 'GET', `/api/v1/workspaces/${admin.workspaceId}/widgets`, { cookie });
    expect([widgets.status, widgets.body.error.code]).toEqual([403, 'mfa_required']);
    const me = await http<Me>(server, 'GET', '/api/v1/auth/me', { cookie });
    expect(me.body.stage).toBe('mfa');
    // It cannot add a factor of its own choosing either.
    const enroll = await http(server, 'POST', '/api/v1/auth/passkeys/registration/options', {
      cookie,
      body: {},
    });
    expect(enroll.body.error.code).toBe('mfa_required');
    await expect(openSocket(server, { protocols: [WS_PROTOCOL], cookie })).rejects.toMatchObject({
      status: 403,
      body: expect.stringContaining('mfa_required'),
    });
  });

  it('accepts codes within ±1 step only, and never the same step twice or an older one', async () => {
    restore = freezeClock(at(10));
    const { cookie } = await passwordSignIn(server, EMAIL, PASSWORD);
    // Two steps away on either side: refused.
    expect((await verifyCode(server, cookie, totpCode(secret, at(8)))).body.error.code).toBe(
      'mfa_code_invalid',
    );
    expect((await verifyCode(server, cookie, totpCode(secret, at(12)))).body.error.code).toBe(
      'mfa_code_invalid',
    );
    // One step ahead (a fast phone clock): accepted, and the session is replaced.
    const ok = await verifyCode(server, cookie, totpCode(secret, at(11)));
    expect(ok.status).toBe(200);
    expect(ok.body.stage).toBe('full');

    // The same code again, and the current or previous step's code, all come before step 11: replays.
    const next = await passwordSignIn(server, EMAIL, PASSWORD);
    for (const step of [11, 10, 9]) {
      const replay = await verifyCode(server, next.cookie, totpCode(secret, at(step)));
      expect(replay.body.error.code, `step ${step}`).toBe('mfa_code_invalid');
    }
    setTime(12);
    expect((await verifyCode(server, next.cookie, totpCode(secret, at(12)))).status).toBe(200);

    // Two sign-ins racing with the same fresh code: exactly one wins.
    setTime(13);
    const racers = await Promise.all([1, 2].map(() => passwordSignIn(server, EMAIL, PASSWORD)));
    const code = totpCode(secret);
    const results = await Promise.all(racers.map((r) => verifyCode(server, r.cookie, code)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  it('issues a new session id at the second factor and ends the password-only one', async () => {
    restore = freezeClock(at(20));
    const held = await passwordSignIn(server, EMAIL, PASSWORD);
    const done = await verifyCode(server, held.cookie, totpCode(secret));
    expect(done.status).toBe(200);
    const fresh = done.headers.getSetCookie().find((c) => c.startsWith('__Host-parley_session='));
    expect(fresh).toMatch(/HttpOnly/i);
    const cookie = fresh?.split(';')[0] ?? '';
    expect(cookie).not.toBe(held.cookie);
    const old = await http(server, 'GET', '/api/v1/auth/me', { cookie: held.cookie });
    expect([old.status, old.body.error.code]).toEqual([401, 'session_expired']);
    const widgets = await http(server, 'GET', `/api/v1/workspaces/${admin.workspaceId}/widgets`, { cookie });
    expect(widgets.status).toBe(200);
    const probe = await openSocket(server, { protocols: [WS_PROTOCOL], cookie });
    await probe.next('welcome');
    probe.close();
  });

  it('takes each recovery code once, and regenerating replaces them all', async () => {
    restore = freezeClock(at(30));
    const [first, second] = recoveryCodes as [string, string];
    const a = await passwordSignIn(server, EMAIL, PASSWORD);
    // Typed loosely: upper case, spaces instead of dashes.
    const used = await verifyCode(server, a.cookie, first.toUpperCase().replaceAll('-', ' '));
    expect(used.status).toBe(200);
    const b = await passwordSignIn(server, EMAIL, PASSWORD);
    expect((await verifyCode(server, b.cookie, first)).body.error.code).toBe('mfa_code_invalid');
    const full = await verifyCode(server, b.cookie, second);
    expect(full.status).toBe(200);
    const cookie = full.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    expect((await status(cookie)).body.recoveryCodesLeft).toBe(8);

    setTime(31);
    const fresh = await regenerateCodes(server, cookie, totpCode(secret));
    expect(fresh.status).toBe(201);
    expect(fresh.body.recoveryCodes).toHaveLength(10);
    const c = await passwordSignIn(server, EMAIL, PASSWORD);
    expect((await verifyCode(server, c.cookie, recoveryCodes[2] as string)).body.error.code).toBe(
      'mfa_code_invalid',
    );
    recoveryCodes = fresh.body.recoveryCodes;
    expect((await verifyCode(server, c.cookie, recoveryCodes[0] as string)).status).toBe(200);
    const audit = await server.db.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('action', 'like', 'mfa.%')
      .orderBy('seq')
      .execute();
    expect(audit.map((e) => e.action)).toEqual([
      'mfa.totp.enrolled',
      'mfa.recovery_code.used',
      'mfa.recovery_code.used',
      'mfa.recovery_codes.regenerated',
      'mfa.recovery_code.used',
    ]);
  });

  it('ends a session after five wrong codes, and pauses an account guessed at from many sessions', async () => {
    restore = freezeClock(at(40));
    const { cookie } = await passwordSignIn(server, EMAIL, PASSWORD);
    for (let i = 1; i < MFA_LIMITS.maxFailuresPerSession; i += 1) {
      expect((await verifyCode(server, cookie, '000000')).body.error.code).toBe('mfa_code_invalid');
    }
    const last = await verifyCode(server, cookie, '000000');
    expect([last.status, last.body.error.code]).toEqual([401, 'session_expired']);
    expect((await verifyCode(server, cookie, totpCode(secret))).status).toBe(401);

    const other = await passwordSignIn(server, EMAIL, PASSWORD);
    for (let i = 0; i < MFA_LIMITS.maxFailuresPerUserHour - MFA_LIMITS.maxFailuresPerSession; i += 1) {
      await verifyCode(server, other.cookie, '000000');
    }
    const third = await passwordSignIn(server, EMAIL, PASSWORD);
    const paused = await verifyCode(server, third.cookie, totpCode(secret));
    expect([paused.status, paused.body.error.code]).toEqual([429, 'rate_limited']);
    // An hour later the right code works again and clears the count.
    clock.now = () => at(40) + 61 * 60_000;
    const fourth = await passwordSignIn(server, EMAIL, PASSWORD);
    expect((await verifyCode(server, fourth.cookie, totpCode(secret))).status).toBe(200);
    const failed = await server.db.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'auth.second_factor.failed')
      .execute();
    expect(failed.length).toBeGreaterThanOrEqual(MFA_LIMITS.maxFailuresPerUserHour);
  });

  it('removes TOTP only with a current code or a recently proven second factor', async () => {
    restore = freezeClock(at(200));
    const held = await passwordSignIn(server, EMAIL, PASSWORD);
    const done = await verifyCode(server, held.cookie, totpCode(secret));
    const cookie = done.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    expect((await status(cookie)).body.recentlyVerified).toBe(true);
    // Eleven minutes later the proof is stale.
    clock.now = () => at(200) + 11 * 60_000;
    expect((await status(cookie)).body.recentlyVerified).toBe(false);
    const stale = await http(server, 'DELETE', '/api/v1/auth/totp', { cookie, body: {} });
    expect([stale.status, stale.body.error.code]).toEqual([403, 'step_up_required']);
    const bad = await http(server, 'DELETE', '/api/v1/auth/totp', { cookie, body: { code: '123456' } });
    expect(bad.body.error.code).toBe('mfa_code_invalid');
    const removed = await http(server, 'DELETE', '/api/v1/auth/totp', {
      cookie,
      body: { code: totpCode(secret) },
    });
    expect(removed.status).toBe(204);
    expect((await status(cookie)).body).toMatchObject({ totp: false, recoveryCodesLeft: 0 });
    expect((await server.db.db.selectFrom('recovery_codes').selectAll().execute()).length).toBe(0);
    const signIn = await passwordSignIn(server, EMAIL, PASSWORD);
    expect(signIn.me.stage).toBe('full');
  });

  it('never puts the secret or a recovery code in a later response or in the log', async () => {
    restore = freezeClock(at(300));
    // TOTP is off again (previous test), so the password alone gives a complete session.
    const plain = await passwordSignIn(server, EMAIL, PASSWORD);
    const enrolled = await enrollTotp(server, { ...admin, cookie: plain.cookie });
    const held = await passwordSignIn(server, EMAIL, PASSWORD);
    const done = await verifyCode(server, held.cookie, enrolled.recoveryCodes[0] as string);
    const cookie = done.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const later = [
      await http(server, 'GET', '/api/v1/auth/me', { cookie }),
      await status(cookie),
      await http(server, 'GET', '/api/v1/auth/passkeys', { cookie }),
      await http(server, 'GET', `/api/v1/workspaces/${admin.workspaceId}/security/mfa-policy`, { cookie }),
    ];
    const text = JSON.stringify(later.map((r) => r.body)) + logLines.join('');
    for (const s of [secret, enrolled.secret, ...recoveryCodes, ...enrolled.recoveryCodes]) {
      expect(text).not.toContain(s);
      expect(text.toLowerCase()).not.toContain(s.replaceAll('-', '').toLowerCase());
    }
    const audit = await server.db.db.selectFrom('audit_events').select('details').execute();
    const details = JSON.stringify(audit);
    for (const s of [enrolled.secret, ...enrolled.recoveryCodes]) expect(details).not.toContain(s);
    // Security events were logged as structured records.
    expect(logLines.join('')).toContain('"event":"auth.second_factor.succeeded"');
  });
});
