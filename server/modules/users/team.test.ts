import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Member } from '../../../protocol/users-api.js';
import { CLOSE } from '../../../protocol/ws-close-codes.js';
import { addAgent, connectAgent, http, login, PASSWORD } from '../../../test/support/clients.js';
import { advanceClock, linkToken, readOutbox, waitForMail } from '../../../test/support/mail.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { verifyAuditLog } from '../audit/verify-audit-log.js';

describe.each(DIALECTS)('team management (%s)', (dialect) => {
  let s: Scenario;
  let restoreClock: (() => void) | null = null;
  beforeEach(async () => {
    s = await startScenario(dialect);
  });
  afterEach(async () => {
    restoreClock?.();
    restoreClock = null;
    await s.close();
  });
  const ws = () => `/api/v1/workspaces/${s.admin.workspaceId}`;

  async function invite(email: string, role = 'operator') {
    const res = await http(s.server, 'POST', `${ws()}/invites`, {
      cookie: s.admin.cookie,
      body: { email, role },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email, role, status: 'pending', delivery: 'outbox' });
    const mail = await waitForMail(s.server, s.admin, email, /invited/);
    return linkToken(mail.body, '/invite');
  }

  it('an invitation link creates the account once, with the invited role, and then stops working', async () => {
    const token = await invite('new.op@example.com', 'supervisor');
    const accept = { token, name: 'Nia New', password: 'a long and unusual passphrase' };
    const res = await http(s.server, 'POST', '/api/v1/invites/accept', { body: accept });
    expect(res.status).toBe(201);
    expect(res.body.role).toBe('supervisor');
    const again = await http(s.server, 'POST', '/api/v1/invites/accept', { body: accept });
    expect(again.body.error.code).toBe('invite_invalid');
    const members = await http<{ items: Member[] }>(s.server, 'GET', `${ws()}/users`, {
      cookie: s.admin.cookie,
    });
    expect(members.body.items.map((m) => [m.email, m.role])).toContainEqual([
      'new.op@example.com',
      'supervisor',
    ]);
    const list = await http(s.server, 'GET', `${ws()}/invites`, { cookie: s.admin.cookie });
    expect(list.body.items[0].status).toBe('accepted');
  });

  it('invitation links expire after 72 hours and can be revoked', async () => {
    const token = await invite('late@example.com');
    restoreClock = advanceClock(72 * 3_600_000 + 1000);
    const late = await http(s.server, 'POST', '/api/v1/invites/accept', {
      body: { token, name: 'Late', password: 'a long and unusual passphrase' },
    });
    expect(late.body.error.code).toBe('invite_invalid');
    restoreClock();
    restoreClock = null;
    const token2 = await invite('revoked@example.com');
    const list = await http(s.server, 'GET', `${ws()}/invites`, { cookie: s.admin.cookie });
    const id = list.body.items.find((i: { email: string }) => i.email === 'revoked@example.com').id;
    expect(
      (await http(s.server, 'DELETE', `${ws()}/invites/${id}`, { cookie: s.admin.cookie, body: {} })).status,
    ).toBe(204);
    const res = await http(s.server, 'POST', '/api/v1/invites/accept', {
      body: { token: token2, name: 'Rev', password: 'a long and unusual passphrase' },
    });
    expect(res.body.error.code).toBe('invite_invalid');
  });

  it('passwords: minimum length, common passwords refused, 200 characters accepted untruncated', async () => {
    const token = await invite('pw@example.com');
    const tryPw = (password: string) =>
      http(s.server, 'POST', '/api/v1/invites/accept', { body: { token, name: 'Pat', password } });
    expect((await tryPw('short')).body.error.code).toBe('weak_password');
    expect((await tryPw('password1234')).body.error.code).toBe('common_password');
    expect((await tryPw('iloveyou12345678')).body.error.code).toBe('common_password');
    expect((await tryPw('pw@example.com!!')).body.error.code).toBe('common_password');
    expect((await tryPw('aaaaaaaaaaaaaaaa')).body.error.code).toBe('common_password');
    const long = `${'x7Y!'.repeat(49)}tail`;
    expect((await tryPw(long)).status).toBe(201);
    // No truncation: the same 196-character prefix is a different password.
    expect((await login(s.server, 'pw@example.com', long)).me.user.email).toBe('pw@example.com');
    const prefix = await http(s.server, 'POST', '/api/v1/auth/login', {
      body: { email: 'pw@example.com', password: long.slice(0, -1) },
    });
    expect(prefix.status).toBe(401);
  });

  it('password reset answers the same for unknown accounts, works once, and ends every session', async () => {
    const op = await addAgent(s.server, s.admin.workspaceId, 'operator', 'op@example.com');
    const socket = await connectAgent(s.server, op);
    const known = await http(s.server, 'POST', '/api/v1/auth/password-reset', {
      body: { email: 'op@example.com' },
    });
    const unknown = await http(s.server, 'POST', '/api/v1/auth/password-reset', {
      body: { email: 'nobody@example.com' },
    });
    expect([known.status, known.body]).toEqual([unknown.status, unknown.body]);
    expect(known.status).toBe(202);
    const mail = await waitForMail(s.server, 'host', 'op@example.com', /Reset/);
    expect((await readOutbox(s.server, s.admin)).some((m) => m.to === 'nobody@example.com')).toBe(false);
    const token = linkToken(mail.body, '/reset-password');
    const done = await http(s.server, 'POST', '/api/v1/auth/password-reset/complete', {
      body: { token, password: 'a brand new passphrase' },
    });
    expect(done.status).toBe(204);
    await socket.until((p) => p.closed !== null, 'socket closed');
    expect(socket.closed?.code).toBe(CLOSE.sessionEnded);
    expect((await http(s.server, 'GET', '/api/v1/auth/me', { cookie: op.cookie })).status).toBe(401);
    const reuse = await http(s.server, 'POST', '/api/v1/auth/password-reset/complete', {
      body: { token, password: 'another new passphrase' },
    });
    expect(reuse.body.error.code).toBe('reset_token_invalid');
    await login(s.server, 'op@example.com', 'a brand new passphrase');
  });

  it('reset links expire after 30 minutes', async () => {
    await addAgent(s.server, s.admin.workspaceId, 'operator', 'slow@example.com');
    await http(s.server, 'POST', '/api/v1/auth/password-reset', { body: { email: 'slow@example.com' } });
    const token = linkToken(
      (await waitForMail(s.server, 'host', 'slow@example.com', /Reset/)).body,
      '/reset-password',
    );
    restoreClock = advanceClock(30 * 60_000 + 1000);
    const res = await http(s.server, 'POST', '/api/v1/auth/password-reset/complete', {
      body: { token, password: 'a brand new passphrase' },
    });
    expect(res.body.error.code).toBe('reset_token_invalid');
  });

  it('changing the password needs the current one and ends the other sessions', async () => {
    const op = await addAgent(s.server, s.admin.workspaceId, 'operator', 'ch@example.com');
    const other = await login(s.server, 'ch@example.com');
    const wrong = await http(s.server, 'POST', '/api/v1/auth/password', {
      cookie: op.cookie,
      body: { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' },
    });
    expect(wrong.body.error.code).toBe('password_incorrect');
    const ok = await http(s.server, 'POST', '/api/v1/auth/password', {
      cookie: op.cookie,
      body: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
    });
    expect(ok.status).toBe(204);
    expect((await http(s.server, 'GET', '/api/v1/auth/me', { cookie: op.cookie })).status).toBe(200);
    expect((await http(s.server, 'GET', '/api/v1/auth/me', { cookie: other.cookie })).status).toBe(401);
  });

  it('role changes, disabling and deletion take effect at once, sockets included', async () => {
    const op = await addAgent(s.server, s.admin.workspaceId, 'operator', 'r@example.com');
    const socket = await connectAgent(s.server, op);
    const res = await http(s.server, 'PATCH', `${ws()}/users/${op.me.user.id}`, {
      cookie: s.admin.cookie,
      body: { role: 'supervisor' },
    });
    expect(res.status).toBe(204);
    await socket.until((p) => p.closed !== null, 'socket closed');
    expect((await http(s.server, 'GET', '/api/v1/auth/me', { cookie: op.cookie })).status).toBe(401);
    const again = await login(s.server, 'r@example.com');
    expect(again.me.role).toBe('supervisor');

    const socket2 = await connectAgent(s.server, again);
    await http(s.server, 'PATCH', `${ws()}/users/${op.me.user.id}`, {
      cookie: s.admin.cookie,
      body: { disabled: true },
    });
    await socket2.until((p) => p.closed !== null, 'socket closed');
    const refused = await http(s.server, 'POST', '/api/v1/auth/login', {
      body: { email: 'r@example.com', password: PASSWORD },
    });
    expect(refused.body.error.code).toBe('account_disabled');

    const self = await http(s.server, 'PATCH', `${ws()}/users/${s.admin.me.user.id}`, {
      cookie: s.admin.cookie,
      body: { role: 'operator' },
    });
    expect(self.body.error.code).toBe('cannot_change_self');
    const del = await http(s.server, 'DELETE', `${ws()}/users/${op.me.user.id}`, {
      cookie: s.admin.cookie,
      body: {},
    });
    expect(del.status).toBe(204);
    const members = await http<{ items: Member[] }>(s.server, 'GET', `${ws()}/users`, {
      cookie: s.admin.cookie,
    });
    expect(members.body.items.map((m) => m.email)).not.toContain('r@example.com');
  });

  it('sessions: list with device and address, revoke one, sign out everywhere, administrators end any', async () => {
    const op = await addAgent(s.server, s.admin.workspaceId, 'operator', 's@example.com');
    const phone = await login(s.server, 's@example.com');
    const phoneSocket = await connectAgent(s.server, phone);
    const list = await http(s.server, 'GET', '/api/v1/auth/sessions', {
      cookie: op.cookie,
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' },
    });
    expect(list.body.items).toHaveLength(2);
    expect(list.body.items.filter((i: { current: boolean }) => i.current)).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ ip: '127.0.0.1' });
    const phoneId = list.body.items.find((i: { current: boolean }) => !i.current).id;
    expect(
      (await http(s.server, 'DELETE', `/api/v1/auth/sessions/${phoneId}`, { cookie: op.cookie, body: {} }))
        .status,
    ).toBe(204);
    await phoneSocket.until((p) => p.closed !== null, 'socket closed');
    expect((await http(s.server, 'GET', '/api/v1/auth/me', { cookie: phone.cookie })).status).toBe(401);
    // Another user's session is not yours to end: it answers as if it did not exist.
    const adminSessions = await http(s.server, 'GET', '/api/v1/auth/sessions', { cookie: s.admin.cookie });
    const foreign = await http(
      s.server,
      'DELETE',
      `/api/v1/auth/sessions/${adminSessions.body.items[0].id}`,
      {
        cookie: op.cookie,
        body: {},
      },
    );
    expect(foreign.status).toBe(404);

    const laptop = await login(s.server, 's@example.com');
    const all = await http(s.server, 'POST', '/api/v1/auth/sessions/end-all', {
      cookie: op.cookie,
      body: {},
    });
    expect(all.body.ended).toBe(2);
    for (const c of [op.cookie, laptop.cookie])
      expect((await http(s.server, 'GET', '/api/v1/auth/me', { cookie: c })).status).toBe(401);

    const back = await login(s.server, 's@example.com');
    const sock = await connectAgent(s.server, back);
    const ended = await http(s.server, 'POST', `${ws()}/users/${back.me.user.id}/sessions/end`, {
      cookie: s.admin.cookie,
      body: {},
    });
    expect(ended.body.ended).toBe(1);
    await sock.until((p) => p.closed !== null, 'socket closed');
  });

  it('idle and absolute expiry end HTTP access and close the open socket within a second', async () => {
    const op = await addAgent(s.server, s.admin.workspaceId, 'operator', 'idle@example.com');
    const socket = await connectAgent(s.server, op);
    restoreClock = advanceClock(30 * 60_000 + 1000);
    // The sweep that closes expired sessions' sockets runs every second; the wait allows a busy machine.
    await socket.until((p) => p.closed !== null, 'socket closed');
    expect(socket.closed?.code).toBe(CLOSE.sessionEnded);
    expect((await http(s.server, 'GET', '/api/v1/auth/me', { cookie: op.cookie })).body.error.code).toBe(
      'session_expired',
    );
    restoreClock();

    // Absolute: activity every 20 minutes keeps the session alive until 12 hours have passed.
    const busy = await login(s.server, 'idle@example.com');
    const busySocket = await connectAgent(s.server, busy);
    let offset = 0;
    for (; offset < 12 * 3_600_000 - 20 * 60_000; offset += 20 * 60_000) {
      restoreClock = advanceClock(offset);
      expect((await http(s.server, 'GET', '/api/v1/auth/me', { cookie: busy.cookie })).status).toBe(200);
      restoreClock();
    }
    expect(busySocket.closed).toBeNull();
    restoreClock = advanceClock(12 * 3_600_000 + 1000);
    await busySocket.until((p) => p.closed !== null, 'socket closed');
    expect((await http(s.server, 'GET', '/api/v1/auth/me', { cookie: busy.cookie })).status).toBe(401);
  });

  it('every change above is in the audit log, filterable, and the chain verifies', async () => {
    await invite('audited@example.com');
    await login(s.server, 'admin@example.com');
    await http(s.server, 'POST', '/api/v1/auth/login', {
      body: { email: 'admin@example.com', password: 'wrong password!' },
    });
    const all = await http(s.server, 'GET', `${ws()}/audit`, { cookie: s.admin.cookie });
    const actions = all.body.items.map((e: { action: string }) => e.action);
    for (const a of [
      'workspace.setup_completed',
      'auth.login.succeeded',
      'widget.created',
      'user.invited',
      'auth.login.failed',
    ])
      expect(actions).toContain(a);
    const failed = await http(s.server, 'GET', `${ws()}/audit?action=auth.login.failed`, {
      cookie: s.admin.cookie,
    });
    expect(failed.body.items).toHaveLength(1);
    expect(failed.body.items[0]).toMatchObject({
      ip: '127.0.0.1',
      actor: { type: 'user', name: 'Ada Admin' },
    });
    // No secrets or personal data in entries.
    expect(JSON.stringify(all.body)).not.toMatch(/audited@example\.com|wrong password|token=/);
    expect((await verifyAuditLog(s.server.db.db)).ok).toBe(true);
  });
});
