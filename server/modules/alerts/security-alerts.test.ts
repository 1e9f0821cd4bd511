import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv } from '../../../test/support/clean-env.js';
import { addAgent, http, setupAdmin, type TestAgent } from '../../../test/support/clients.js';
import { keyFileSetup, runKeysCommand } from '../../../test/support/key-commands.js';
import { readOutboxOnHost } from '../../../test/support/mail.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { ruleForAuditEvent } from './alert-rules.js';

const SECRET = 'alert-webhook-secret-for-the-tests-0123456789';
const MAIN = new URL('../../../dist/server/main.js', import.meta.url).pathname;

interface Received {
  body: string;
  signature: string;
}

/** The site's receiver: records every delivery; answers 500 to the number of first attempts asked. */
async function receiver(): Promise<{
  server: Server;
  url: string;
  got: Received[];
  failNext: (n: number) => void;
}> {
  const got: Received[] = [];
  let failing = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (failing > 0) {
        failing -= 1;
        res.writeHead(500).end();
        return;
      }
      got.push({ body, signature: String(req.headers['x-parley-signature']) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/hooks/parley`, got, failNext: (n) => (failing = n) };
}

const until = async (check: () => Promise<boolean> | boolean, what: string) => {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('alert rules', () => {
  it('names the rule each audited change triggers, and none for ordinary ones', () => {
    const e = (action: string, details = {}) =>
      ruleForAuditEvent({ workspaceId: 'w', actor: { type: 'system' }, action, details });
    expect(e('user.role.changed', { from: 'operator', to: 'administrator' })).toBe('admin_created');
    expect(e('user.role.changed', { from: 'administrator', to: 'operator' })).toBeNull();
    expect(e('user.invite.accepted', { role: 'administrator' })).toBe('admin_created');
    expect(e('user.invite.accepted', { role: 'operator' })).toBeNull();
    expect(e('mfa.totp.removed')).toBe('mfa_turned_off');
    expect(
      e('mfa.policy.changed', { workspace: false, roles: '', previousWorkspace: true, previousRoles: '' }),
    ).toBe('mfa_turned_off');
    expect(
      e('mfa.policy.changed', {
        workspace: false,
        roles: 'administrator',
        previousWorkspace: false,
        previousRoles: 'administrator,supervisor',
      }),
    ).toBe('mfa_turned_off');
    expect(
      e('mfa.policy.changed', { workspace: true, roles: '', previousWorkspace: false, previousRoles: '' }),
    ).toBeNull();
    expect(e('attachments.infected_refused', { signature: 'Win.Test.EICAR_HDB-1' })).toBe('infected_upload');
    expect(e('user.created_by_sso', { role: 'administrator' })).toBe('admin_created');
    expect(e('user.created_by_sso', { role: 'operator' })).toBeNull();
    expect(e('auth.login.break_glass')).toBe('break_glass');
    expect(e('auth.login.succeeded')).toBeNull();
  });
});

describe.each(DIALECTS)('security alerts (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let admin: TestAgent;
  const keys = keyFileSetup();

  beforeAll(async () => {
    hook = await receiver();
    database = await createTestDatabase(dialect);
    server = await startTestServer({
      database,
      env: {
        ...keys.env,
        PARLEY_ALERT_WEBHOOK_URL: hook.url,
        PARLEY_ALERT_WEBHOOK_SECRET: SECRET,
        PARLEY_ALERT_WEBHOOK_ALLOW_PRIVATE: 'true',
      },
    });
    admin = await setupAdmin(server);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
    hook?.server.close();
  });

  const alerts = (rule: string) =>
    hook.got
      .map((g) => JSON.parse(g.body))
      .filter((b) => b.rule === rule && b.workspaceId === admin.workspaceId);
  const mails = async (title: RegExp) =>
    (await readOutboxOnHost(server)).filter((m) => m.to === 'admin@example.com' && title.test(m.subject));

  it('a new administrator: mail to every administrator, a signed webhook (retried past a 500), an audit entry', async () => {
    const op = await addAgent(server, admin.workspaceId, 'operator', 'olga@example.com');
    hook.failNext(1);
    const res = await http(
      server,
      'PATCH',
      `/api/v1/workspaces/${admin.workspaceId}/users/${op.me.user.id}`,
      {
        cookie: admin.cookie,
        body: { role: 'administrator' },
      },
    );
    expect(res.status).toBe(204);
    await until(() => alerts('admin_created').length === 1, 'the webhook');
    const delivery = hook.got.find((g) => JSON.parse(g.body).rule === 'admin_created') as Received;
    const [t, v1] = delivery.signature.split(',').map((p) => p.split('=')[1]) as [string, string];
    expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${delivery.body}`).digest('hex'));
    expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(300);
    expect(JSON.parse(delivery.body)).toMatchObject({
      type: 'security.alert',
      rule: 'admin_created',
      title: 'A new administrator',
      facts: { user: op.me.user.id },
      heldBack: 0,
    });
    // Ids and counts only: no name or address travels.
    expect(delivery.body).not.toContain('olga');
    await until(async () => (await mails(/A new administrator/)).length === 1, 'the mail');
    await until(async () => {
      const rows = await server.db.db
        .selectFrom('audit_events')
        .select('details')
        .where('workspace_id', '=', admin.workspaceId)
        .where('action', '=', 'security.alert.raised')
        .execute();
      return rows.some(
        (r) =>
          JSON.parse(r.details).webhook === 'delivered' && JSON.parse(r.details).rule === 'admin_created',
      );
    }, 'the audit entry');
  });

  it('two-factor turned off', async () => {
    await recordAuditEvent(server.db.db, {
      workspaceId: admin.workspaceId,
      actor: { type: 'user', id: admin.me.user.id },
      action: 'mfa.totp.removed',
      target: { type: 'user', id: admin.me.user.id },
    });
    await until(() => alerts('mfa_turned_off').length === 1, 'the webhook');
    await until(async () => (await mails(/Two-factor authentication turned off/)).length === 1, 'the mail');
  });

  it('failed sign-ins across five accounts raise one alert; the attack going on is held back, not mailed', async () => {
    for (const name of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'])
      await addAgent(server, admin.workspaceId, 'operator', `${name}@example.com`);
    for (const name of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a1', 'a2']) {
      const res = await http(server, 'POST', '/api/v1/auth/login', {
        body: { email: `${name}@example.com`, password: 'a wrong password, again' },
      });
      expect(res.status).toBe(401);
    }
    await until(() => alerts('brute_force').length === 1, 'the webhook');
    await new Promise((r) => setTimeout(r, 500));
    expect(alerts('brute_force')).toHaveLength(1);
    expect(await mails(/Failed sign-ins across several accounts/)).toHaveLength(1);
  });

  it('a master key rotation (parley keys rotate)', async () => {
    const rotated = await runKeysCommand(server, 'rotate');
    expect(rotated.code, rotated.out).toBe(0);
    await until(() => alerts('key_rotation').length === 1, 'the rotation alert');
    expect(alerts('key_rotation')[0].facts).toMatchObject({ event: 'rotated' });
  });

  it.runIf(dialect === 'sqlite')('an audit log that does not verify (parley audit verify)', async () => {
    await server.db.db
      .updateTable('audit_events')
      .set({ action: 'auth.login.succeeded' })
      .where('workspace_id', '=', admin.workspaceId)
      .where('action', '=', 'auth.login.failed')
      .execute();
    const file = (database.database as { file: string }).file;
    // Spawned without blocking: the webhook receiver answers from this process.
    const child = spawn(process.execPath, [MAIN, 'audit', 'verify'], {
      env: cleanEnv({
        PARLEY_DATA_DIR: dirname(file),
        PARLEY_MASTER_KEY_FILE: keys.file,
        PARLEY_LOG_LEVEL: 'warn',
        PARLEY_ALERT_WEBHOOK_URL: hook.url,
        PARLEY_ALERT_WEBHOOK_SECRET: SECRET,
        PARLEY_ALERT_WEBHOOK_ALLOW_PRIVATE: 'true',
      }),
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const status = await new Promise<number | null>((r) => child.on('close', r));
    const res = { status, stderr };
    expect(res.status, res.stderr).toBe(3);
    await until(() => alerts('audit_chain_broken').length === 1, 'the webhook');
    expect(await mails(/The audit log does not verify/)).toHaveLength(1);
  });
});
