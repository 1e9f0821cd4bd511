import { Migrator } from 'kysely';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { addAgent, http, setupAdmin, type TestAgent } from '../../../test/support/clients.js';
import { keyFileSetup, rotateAndRetire, runKeysCommand } from '../../../test/support/key-commands.js';
import { linkToken, readOutbox, readOutboxOnHost, waitForMail } from '../../../test/support/mail.js';
import { rawOccurrencesAtRest } from '../../../test/support/raw-after-close.js';
import { rawOccurrences } from '../../../test/support/raw-data.js';
import { DIALECTS } from '../../../test/support/services.js';
import { startLog } from '../../../test/support/start-log.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { outboxCommand } from '../../cli/outbox-command.js';
import { sealSecretsAtStart } from '../../cli/start-data-protection.js';
import { migrations } from '../../db/migrations/index.js';
import { kekOfRingSealed } from '../../platform/crypto/ring-seal.js';

/** What `parley outbox` prints. */
async function printOutbox(server: TestServer): Promise<string> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((m: string) => void lines.push(m));
  try {
    expect(await outboxCommand(server.config, server.db.db, undefined)).toBe(0);
  } finally {
    spy.mockRestore();
  }
  return lines.join('\n');
}

/**
 * The embedded outbox holds live invitation and reset links until they expire: sealed under the
 * master key ring, and a reset link shown in the dashboard only to the account it resets.
 */
describe.each(DIALECTS)('outbox mail under the key ring (%s)', (dialect) => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  });
  const fresh = async () => {
    const database = await createTestDatabase(dialect);
    cleanup.push(() => database.drop());
    return database;
  };
  const serve = async (database: TestDatabase, env: Record<string, string> = {}) => {
    const server = await startTestServer({ database, env });
    cleanup.push(() => server.close());
    return server;
  };
  const requestReset = (server: TestServer, email: string) =>
    http(server, 'POST', '/api/v1/auth/password-reset', { body: { email } });
  const adminView = async (server: TestServer, admin: TestAgent, to: string) => {
    const mail = (await readOutbox(server, admin)).find((m) => m.to === to);
    if (!mail) throw new Error(`no mail to ${to} in the dashboard`);
    return mail;
  };

  it('stores no link in the clear, hides reset links from other administrators, and reads after rotate and retire', async () => {
    const database = await fresh();
    const keys = keyFileSetup();
    const server = await serve(database, keys.env);
    const admin = await setupAdmin(server);
    await addAgent(server, admin.workspaceId, 'operator', 'op@example.com');
    const invited = await http(server, 'POST', `/api/v1/workspaces/${admin.workspaceId}/invites`, {
      cookie: admin.cookie,
      body: { email: 'new@example.com', role: 'operator' },
    });
    expect(invited.status).toBe(201);
    await requestReset(server, 'op@example.com');
    await requestReset(server, 'admin@example.com');
    const inviteToken = linkToken(
      (await waitForMail(server, 'host', 'new@example.com', /invited/)).body,
      '/invite',
    );
    const opReset = linkToken(
      (await waitForMail(server, 'host', 'op@example.com', /Reset/)).body,
      '/reset-password',
    );
    const ownReset = linkToken(
      (await waitForMail(server, 'host', 'admin@example.com', /Reset/)).body,
      '/reset-password',
    );
    const tokens = [inviteToken, opReset, ownReset];
    expect(await rawOccurrences(database, tokens)).toEqual([]);
    const stored = await server.db.db.selectFrom('outbox').select('body').execute();
    expect(stored.map((r) => kekOfRingSealed(r.body))).toEqual([
      keys.firstKekId,
      keys.firstKekId,
      keys.firstKekId,
    ]);

    // The dashboard: the invitation to pass on and the administrator's own reset link; not a colleague's.
    const invitation = await adminView(server, admin, 'new@example.com');
    expect(invitation).toMatchObject({ kind: 'invitation', linkHidden: false });
    expect(linkToken(invitation.body, '/invite')).toBe(inviteToken);
    const own = await adminView(server, admin, 'admin@example.com');
    expect(own.linkHidden).toBe(false);
    expect(linkToken(own.body, '/reset-password')).toBe(ownReset);
    const colleague = await adminView(server, admin, 'op@example.com');
    expect(colleague).toMatchObject({ kind: 'password_reset', linkHidden: true });
    expect(colleague.body).not.toContain(opReset);
    expect(colleague.body).not.toContain('#token=');
    expect(colleague.body).toContain('[link hidden: only op@example.com may use it');
    // The host operator's `parley outbox` prints every link.
    const printed = await printOutbox(server);
    for (const token of tokens) expect(printed).toContain(token);
    expect((await runKeysCommand(server, 'status')).out).toContain('3 outbox mails');

    await rotateAndRetire(server, keys.firstKekId);
    await server.close();
    cleanup.pop();
    const restarted = await serve(database, keys.env);
    // The rotation itself sends administrators a security alert: no link in it.
    const again = (await readOutboxOnHost(restarted)).filter((m) => m.kind !== 'security_alert');
    expect(
      again.map((m) => linkToken(m.body, m.kind === 'invitation' ? '/invite' : '/reset-password')).sort(),
    ).toEqual([...tokens].sort());
    expect((await adminView(restarted, admin, 'new@example.com')).body).toContain(inviteToken);
    // The links still do what they say.
    const accepted = await http(restarted, 'POST', '/api/v1/invites/accept', {
      body: { token: inviteToken, name: 'New Person', password: 'a long enough passphrase' },
    });
    expect(accepted.status).toBe(201);
    const reset = await http(restarted, 'POST', '/api/v1/auth/password-reset/complete', {
      body: { token: opReset, password: 'another long passphrase' },
    });
    expect(reset.status).toBe(204);
    await restarted.close();
    cleanup.pop();
    expect(await rawOccurrencesAtRest(database, tokens)).toEqual([]);
  });

  it('classifies and seals mail that earlier versions left in the clear', async () => {
    const database = await fresh();
    const handle = database.open();
    const db = handle.db as any;
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
      ...(database.schema ? { migrationTableSchema: database.schema } : {}),
    });
    let before = await migrator.migrateTo('2026-11-22-0009-queue-order');
    for (let i = 0; i < 3 && before.error; i += 1)
      before = await migrator.migrateTo('2026-11-22-0009-queue-order');
    expect(before.error).toBeUndefined();
    const ws = crypto.randomUUID();
    const at = new Date().toISOString();
    const expires = new Date(Date.now() + 3_600_000).toISOString();
    await db
      .insertInto('workspaces')
      .values({ id: ws, workspace_id: ws, name: 'Old', created_at: at })
      .execute();
    const old = {
      invite: 'http://127.0.0.1/invite#token=OldInvitationTokenStoredInTheClear0000000001',
      reset: 'http://127.0.0.1/reset-password#token=OldResetTokenStoredInTheClear00000000000001',
    };
    await db
      .insertInto('outbox')
      .values([
        {
          id: crypto.randomUUID(),
          workspace_id: ws,
          to_address: 'lin@example.com',
          subject: 'You are invited to Old on Parley',
          body: `Open this link:\n\n${old.invite}\n`,
          created_at: at,
          expires_at: expires,
        },
        {
          id: crypto.randomUUID(),
          workspace_id: ws,
          to_address: 'max@example.com',
          subject: 'Reset your Parley password',
          body: `Open this link:\n\n${old.reset}\n`,
          created_at: at,
          expires_at: expires,
        },
      ])
      .execute();
    await handle.close();

    const server = await serve(database);
    const kinds = await server.db.db
      .selectFrom('outbox')
      .select(['to_address', 'kind'])
      .orderBy('to_address')
      .execute();
    expect(kinds).toEqual([
      { to_address: 'lin@example.com', kind: 'invitation' },
      { to_address: 'max@example.com', kind: 'password_reset' },
    ]);
    // Readable as it is until the start seals it, and the same afterwards.
    const plain = (await readOutboxOnHost(server)).map((m) => m.body).sort();
    expect((await runKeysCommand(server, 'status')).out).toContain(
      '2 outbox mails are not under the master key ring yet',
    );
    const { log, text } = startLog();
    await sealSecretsAtStart({ db: server.db.db, ring: server.app.vault.ring, config: server.config, log });
    expect(text()).toContain('sealed outbox mail under the master key ring');
    expect((await readOutboxOnHost(server)).map((m) => m.body).sort()).toEqual(plain);
    expect(plain.join('\n')).toContain(old.reset);
    await server.close();
    cleanup.pop();
    expect(
      await rawOccurrencesAtRest(database, [old.invite, old.reset, 'OldResetTokenStoredInTheClear']),
    ).toEqual([]);
  });
});
