import { Attribute, Change } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectorySettingsBody } from '../../../protocol/directory.js';
import { CLOSE } from '../../../protocol/ws-close-codes.js';
import {
  connectAgent,
  http,
  login,
  PASSWORD,
  setupAdmin,
  type TestAgent,
} from '../../../test/support/clients.js';
import { TEST_MASTER_KEY, TEST_MASTER_KEY_2 } from '../../../test/support/keys.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  ADMINS_GROUP,
  AGENTS_GROUP,
  DIRECTORY_PEOPLE,
  GROUPS,
  hasSlapd,
  PEOPLE,
  SEARCH_DN,
  SEARCH_PW,
  startTestDirectory,
  type TestDirectory,
} from '../../../test/support/slapd.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { kekId, openKeyRing } from '../../platform/crypto/key-ring.js';
import { retireMasterKey } from '../encryption/manage-master-keys.js';
import { createDirectoryRecheckJob } from './create-recheck-job.js';
import { openBindPassword } from './directory-settings.js';
import { rewrapBindPasswords } from './rewrap-bind-passwords.js';
import { signInWithDirectory } from './sign-in-with-directory.js';

const quiet = { info: () => {}, warn: () => {} };

describe.skipIf(!hasSlapd).each(DIALECTS)('sign-in through an LDAP directory (%s)', (dialect) => {
  let ldap: TestDirectory;
  let database: TestDatabase;
  let server: TestServer;
  let admin: TestAgent;

  const settings = (over: Partial<DirectorySettingsBody> = {}): DirectorySettingsBody => ({
    emailDomain: 'example.com',
    url: ldap.ldapUrl,
    startTls: true,
    caPem: ldap.caPem,
    bindDn: SEARCH_DN,
    bindPassword: SEARCH_PW,
    baseDn: PEOPLE,
    userAttribute: 'uid',
    groupMode: 'search',
    groupBaseDn: GROUPS,
    enabled: true,
    mappings: [
      { groupDn: ADMINS_GROUP, role: 'administrator' },
      { groupDn: AGENTS_GROUP, role: 'operator' },
    ],
    ...over,
  });
  const path = () => `/api/v1/workspaces/${admin.workspaceId}/directory`;
  const save = (body: DirectorySettingsBody) => http(server, 'PUT', path(), { cookie: admin.cookie, body });
  const signIn = (email: string, password: string) =>
    http(server, 'POST', '/api/v1/auth/login', { body: { email, password } });
  const audit = async (action: string) =>
    (
      await http<{ items: { action: string; details: Record<string, unknown> }[] }>(
        server,
        'GET',
        `/api/v1/workspaces/${admin.workspaceId}/audit?limit=200`,
        { cookie: admin.cookie },
      )
    ).body.items.filter((e) => e.action === action);

  beforeAll(async () => {
    ldap = await startTestDirectory();
    database = await createTestDatabase(dialect);
    server = await startTestServer({ database });
    admin = await setupAdmin(server);
    const saved = await save(settings());
    expect(saved.status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await database?.drop();
    await ldap?.stop();
  });

  it('signs a person in with their directory password and the role their group maps to, just in time', async () => {
    const res = await signIn('alice@example.com', DIRECTORY_PEOPLE.alice.password);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'administrator', stage: 'full', user: { name: 'Alice Admin' } });
    const bob = await signIn('bob@example.com', DIRECTORY_PEOPLE.bob.password);
    expect([bob.status, bob.body.role]).toEqual([200, 'operator']);
    expect((await audit('user.provisioned')).length).toBe(2);
    const logins = await audit('auth.login.succeeded');
    expect(logins.some((e) => e.details.method === 'directory')).toBe(true);
  });

  it('keeps the local password of an account made in Parley (the setup administrator) as the way in', async () => {
    expect((await login(server, 'admin@example.com', PASSWORD)).me.role).toBe('administrator');
  });

  it('refuses a wrong password, and the directory password of someone else', async () => {
    const wrong = await signIn('alice@example.com', 'not-her-password');
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'invalid_credentials']);
    const other = await signIn('alice@example.com', DIRECTORY_PEOPLE.bob.password);
    expect(other.body.error.code).toBe('invalid_credentials');
    expect((await audit('auth.directory.refused')).map((e) => e.details.reason)).toContain('wrong_password');
  });

  it('refuses an empty password before asking the directory (no unauthenticated bind)', async () => {
    const http400 = await signIn('alice@example.com', '');
    expect([http400.status, http400.body.error.code]).toEqual([400, 'invalid_request']);
    const direct = await signInWithDirectory({
      db: server.db.db,
      ring: server.app.vault.ring,
      config: server.config,
      email: 'alice@example.com',
      password: '',
      ip: null,
      log: quiet,
    });
    expect(direct).toMatchObject({ kind: 'refused', code: 'invalid_credentials' });
    expect((await audit('auth.directory.refused')).map((e) => e.details.reason)).toContain('empty_password');
  });

  it('treats filter syntax in the name as data: an injection finds nobody', async () => {
    for (const name of ['*)(uid=*))(|(uid=*', '*', 'alice)(uid=*', 'a*']) {
      const result = await signInWithDirectory({
        db: server.db.db,
        ring: server.app.vault.ring,
        config: server.config,
        email: `${name}@example.com`,
        password: DIRECTORY_PEOPLE.alice.password,
        ip: null,
        log: quiet,
      });
      expect(result).toMatchObject({ kind: 'refused', code: 'invalid_credentials' });
    }
    expect(
      (await audit('auth.directory.refused')).filter((e) => e.details.reason === 'not_found').length,
    ).toBe(4);
  });

  it('refuses a person in no mapped group, with a clear answer, and audits it', async () => {
    const res = await signIn('carol@example.com', DIRECTORY_PEOPLE.carol.password);
    expect([res.status, res.body.error.code]).toEqual([403, 'directory_access_denied']);
    expect((await audit('auth.directory.refused')).map((e) => e.details.reason)).toContain('no_mapped_group');
  });

  it('applies the MFA policy to directory sign-ins', async () => {
    const policy = `/api/v1/workspaces/${admin.workspaceId}/security/mfa-policy`;
    await http(server, 'PUT', policy, {
      cookie: admin.cookie,
      body: { workspace: false, roles: ['operator'] },
    });
    try {
      const bob = await signIn('bob@example.com', DIRECTORY_PEOPLE.bob.password);
      expect([bob.status, bob.body.stage]).toEqual([200, 'enroll']);
    } finally {
      await http(server, 'PUT', policy, { cookie: admin.cookie, body: { workspace: false, roles: [] } });
    }
  });

  it('refuses plain LDAP unless the server allows it', async () => {
    const plain = await save(settings({ startTls: false }));
    expect([plain.status, plain.body.error.code]).toEqual([400, 'plain_ldap_refused']);
    const both = await save(settings({ url: ldap.ldapsUrl, startTls: true }));
    expect(both.body.error.code).toBe('invalid_request');
  });

  it('works over LDAPS with the CA, and says which step failed without echoing secrets', async () => {
    const test = (body: DirectorySettingsBody) =>
      http(server, 'POST', `${path()}/test`, { cookie: admin.cookie, body });
    expect((await test(settings())).body).toMatchObject({ ok: true, failedStep: null });
    expect((await test(settings({ url: ldap.ldapsUrl, startTls: false }))).body.ok).toBe(true);
    const wrongCa = await test(settings({ url: ldap.ldapsUrl, startTls: false, caPem: ldap.otherCaPem }));
    expect(wrongCa.body).toMatchObject({ ok: false, failedStep: 'tls' });
    const wrongCaStartTls = await test(settings({ caPem: ldap.otherCaPem }));
    expect(wrongCaStartTls.body).toMatchObject({ ok: false, failedStep: 'tls' });
    const badPassword = await test(settings({ bindPassword: 'guess-Secret-123' }));
    expect(badPassword.body).toMatchObject({ ok: false, failedStep: 'service_bind' });
    expect(JSON.stringify(badPassword.body)).not.toContain('guess-Secret-123');
    const closed = await test(settings({ url: 'ldaps://127.0.0.1:1', startTls: false }));
    expect(closed.body).toMatchObject({ ok: false, failedStep: 'unreachable' });

    // Saved on LDAPS (the password kept from before), sign-in works there too.
    const saved = await save({
      ...settings({ url: ldap.ldapsUrl, startTls: false }),
      bindPassword: undefined,
    });
    expect(saved.status).toBe(200);
    expect(JSON.stringify(saved.body)).not.toContain(SEARCH_PW);
    expect((await signIn('alice@example.com', DIRECTORY_PEOPLE.alice.password)).status).toBe(200);
    await save(settings());
  });

  it('applies a changed group as a role change at the re-check and at the next sign-in (audited, sessions end)', async () => {
    const bob = await signIn('bob@example.com', DIRECTORY_PEOPLE.bob.password);
    expect(bob.body.role).toBe('operator');
    const cookie = (bob.headers.getSetCookie()[0] as string).split(';')[0] as string;
    const socket = await connectAgent(server, { cookie, me: bob.body, workspaceId: admin.workspaceId });
    const job = createDirectoryRecheckJob({
      db: server.db.db,
      ring: server.app.vault.ring,
      pubsub: server.pubsub,
      config: server.config,
      log: quiet,
    });
    const member = (values: string[], operation: 'add' | 'delete') =>
      ldap.asRoot((c) =>
        c.modify(
          ADMINS_GROUP,
          new Change({ operation, modification: new Attribute({ type: 'member', values }) }),
        ),
      );
    await member([`uid=bob,${PEOPLE}`], 'add');
    try {
      expect(await job.tick()).toBe('ran');
      // The socket and session carried the old role: they end; the role is the directory's now.
      await socket.until((p) => p.closed !== null, 'socket closed');
      expect((await http(server, 'GET', '/api/v1/auth/me', { cookie })).status).toBe(401);
      const changes = await audit('user.role.changed');
      expect(changes[0]?.details).toMatchObject({
        from: 'operator',
        to: 'administrator',
        source: 'directory',
      });
      const again = await signIn('bob@example.com', DIRECTORY_PEOPLE.bob.password);
      expect(again.body.role).toBe('administrator');
    } finally {
      await member([`uid=bob,${PEOPLE}`], 'delete');
      await job.stop();
    }
    // Out of the group again: the next sign-in applies it too.
    const back = await signIn('bob@example.com', DIRECTORY_PEOPLE.bob.password);
    expect(back.body.role).toBe('operator');
    expect((await audit('user.role.changed'))[0]?.details).toMatchObject({
      from: 'administrator',
      to: 'operator',
      source: 'directory',
    });
  });

  it('ends the session and closes the socket of a person removed from their group, at the re-check', async () => {
    const dave = await signIn('dave@example.com', DIRECTORY_PEOPLE.dave.password);
    expect(dave.status).toBe(200);
    const cookie = (dave.headers.getSetCookie()[0] as string).split(';')[0] as string;
    const socket = await connectAgent(server, { cookie, me: dave.body, workspaceId: admin.workspaceId });
    const job = createDirectoryRecheckJob({
      db: server.db.db,
      ring: server.app.vault.ring,
      pubsub: server.pubsub,
      config: server.config,
      log: quiet,
    });
    // Still in the group: the re-check leaves everyone signed in.
    expect(await job.tick()).toBe('ran');
    expect((await http(server, 'GET', '/api/v1/auth/me', { cookie })).status).toBe(200);

    await ldap.asRoot((c) =>
      c.modify(
        AGENTS_GROUP,
        new Change({
          operation: 'delete',
          modification: new Attribute({ type: 'member', values: [`uid=dave,${PEOPLE}`] }),
        }),
      ),
    );
    expect(await job.tick()).toBe('ran');
    await socket.until((p) => p.closed !== null, 'socket closed');
    expect(socket.closed?.code).toBe(CLOSE.sessionEnded);
    expect((await http(server, 'GET', '/api/v1/auth/me', { cookie })).status).toBe(401);
    expect((await audit('auth.directory.sessions_ended')).map((e) => e.details.reason)).toContain(
      'no_mapped_group',
    );
    // And the next sign-in is refused.
    const again = await signIn('dave@example.com', DIRECTORY_PEOPLE.dave.password);
    expect(again.body.error.code).toBe('directory_access_denied');
    await job.stop();
  });

  it('ends the session of a person deleted from the directory, and keeps sessions while it is unreachable', async () => {
    const bob = await signIn('bob@example.com', DIRECTORY_PEOPLE.bob.password);
    const cookie = (bob.headers.getSetCookie()[0] as string).split(';')[0] as string;
    const job = createDirectoryRecheckJob({
      db: server.db.db,
      ring: server.app.vault.ring,
      pubsub: server.pubsub,
      config: server.config,
      log: quiet,
    });
    await ldap.asRoot((c) => c.del(`uid=bob,${PEOPLE}`));
    expect(await job.tick()).toBe('ran');
    expect((await http(server, 'GET', '/api/v1/auth/me', { cookie })).status).toBe(401);
    expect((await audit('auth.directory.sessions_ended')).map((e) => e.details.reason)).toContain(
      'not_found',
    );
    await job.stop();
  });

  it('refuses directory accounts when the directory is switched off, never falling back to a local password', async () => {
    expect((await save(settings({ enabled: false }))).status).toBe(200);
    try {
      const alice = await signIn('alice@example.com', DIRECTORY_PEOPLE.alice.password);
      expect([alice.status, alice.body.error.code]).toEqual([403, 'directory_access_denied']);
      expect((await login(server, 'admin@example.com', PASSWORD)).me.role).toBe('administrator');
    } finally {
      await save(settings());
    }
  });

  it('keeps the search password under the master key ring through a key rotation', async () => {
    const both = openKeyRing({ kind: 'env', keys: [TEST_MASTER_KEY_2, TEST_MASTER_KEY] }).ring;
    const old = kekId(Buffer.from(TEST_MASTER_KEY, 'base64'));
    // Still needed by the search password: the old key cannot be retired yet.
    const early = await retireMasterKey({ db: server.db.db, ring: both, kekId: old });
    expect(early.kind).toBe('refused');
    expect(await rewrapBindPasswords({ db: server.db.db, ring: both })).toBe(1);
    expect(await rewrapBindPasswords({ db: server.db.db, ring: both })).toBe(0);
    const row = await server.db.db.selectFrom('directories').selectAll().executeTakeFirstOrThrow();
    expect(row.bind_password).not.toContain(SEARCH_PW);
    const newOnly = openKeyRing({ kind: 'env', keys: [TEST_MASTER_KEY_2] }).ring;
    expect(openBindPassword(newOnly, row)).toBe(SEARCH_PW);
    // Back under the key this server runs with, for the tests after this one.
    const back = openKeyRing({ kind: 'env', keys: [TEST_MASTER_KEY, TEST_MASTER_KEY_2] }).ring;
    expect(await rewrapBindPasswords({ db: server.db.db, ring: back })).toBe(1);
  });

  it('throttles repeated failures exactly like passwords', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 6; i++)
      codes.push((await signIn('nobody@example.com', `wrong-${i}`)).body.error.code);
    expect(codes).toContain('too_many_attempts');
  });
});
