import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Widget } from '../../../protocol/api.js';
import { createWidget, http, setupAdmin, type TestAgent } from '../../../test/support/clients.js';
import { keyFileSetup, rotateAndRetire, runKeysCommand } from '../../../test/support/key-commands.js';
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
import { openVaultForStart, sealSecretsAtStart } from '../../cli/start-data-protection.js';
import { loadConfig } from '../../config.js';
import { kekOfRingSealed } from '../../platform/crypto/ring-seal.js';
import { identityHash } from './verify-identity.js';

/** A widget's identity secret lives only sealed under the master key ring, and survives its rotation. */
describe.each(DIALECTS)('widget identity secrets under the key ring (%s)', (dialect) => {
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
  const reveal = async (server: TestServer, admin: TestAgent, widget: Widget) => {
    const res = await http(
      server,
      'GET',
      `/api/v1/workspaces/${admin.workspaceId}/widgets/${widget.id}/identity-secret`,
      { cookie: admin.cookie },
    );
    expect(res.status).toBe(200);
    return res.body.secret as string;
  };
  /** What the embedding site does: start a visitor session for its signed-in user. */
  const startAs = (server: TestServer, widget: Widget, userId: string, secret: string) =>
    http(server, 'POST', '/api/v1/visitor/sessions', {
      body: {
        widgetId: widget.id,
        hostOrigin: widget.allowedOrigins[0],
        identity: { userId, userHash: identityHash(secret, userId) },
      },
    });
  const storedSecret = async (server: TestServer, widgetId: string) =>
    (
      await server.db.db
        .selectFrom('widgets')
        .select('identity_secret')
        .where('id', '=', widgetId)
        .executeTakeFirstOrThrow()
    ).identity_secret as string;

  it('stores no secret in the clear, binds it to its widget, and keeps verifying through rotate and retire', async () => {
    const database = await fresh();
    const keys = keyFileSetup();
    const server = await serve(database, keys.env);
    const admin = await setupAdmin(server);
    const widget = await createWidget(server, admin);
    const other = await createWidget(server, admin);
    const secret = await reveal(server, admin, widget);
    expect(secret).toMatch(/^pws_/);
    expect(kekOfRingSealed(await storedSecret(server, widget.id))).toBe(keys.firstKekId);
    expect(await rawOccurrences(database, [secret, secret.slice(4)])).toEqual([]);
    expect((await startAs(server, widget, 'user-42', secret)).status).toBe(201);
    expect((await startAs(server, widget, 'user-42', `pws_${'A'.repeat(43)}`)).status).toBe(401);

    // The widget id is the associated data: a sealed secret copied onto another widget does not open.
    await server.db.db
      .updateTable('widgets')
      .set({ identity_secret: await storedSecret(server, widget.id) })
      .where('id', '=', other.id)
      .execute();
    const moved = await startAs(server, other, 'user-42', secret);
    expect(moved.status).toBe(500);
    expect(moved.body.error.code).toBe('data_unreadable');
    // An administrator's rotation gives that widget a secret of its own again.
    const fixed = await http(
      server,
      'POST',
      `/api/v1/workspaces/${admin.workspaceId}/widgets/${other.id}/identity-secret/rotate`,
      { cookie: admin.cookie, body: {} },
    );
    expect(fixed.status).toBe(200);
    expect((await startAs(server, other, 'user-42', fixed.body.secret)).status).toBe(201);

    expect((await runKeysCommand(server, 'status')).out).toMatch(
      new RegExp(`${keys.firstKekId} {2}current {3}wraps \\d+ data keys and 2 widget identity secrets$`, 'm'),
    );
    const k2 = await rotateAndRetire(server, keys.firstKekId);
    expect(kekOfRingSealed(await storedSecret(server, widget.id))).toBe(k2);
    await server.close();
    cleanup.pop();

    // A node holding only the new key verifies the hash the site already computes.
    const restarted = await serve(database, keys.env);
    expect((await startAs(restarted, widget, 'user-42', secret)).status).toBe(201);
    expect(await reveal(restarted, admin, widget)).toBe(secret);
    await restarted.close();
    cleanup.pop();
    expect(await rawOccurrencesAtRest(database, [secret, secret.slice(4)])).toEqual([]);
  });

  it('seals secrets stored in the clear by earlier versions at start; they verify before and after', async () => {
    const database = await fresh();
    const server = await serve(database);
    const admin = await setupAdmin(server);
    const widget = await createWidget(server, admin);
    const legacy = `pws_${'legacySecretStoredAsIs'.padEnd(43, 'x')}`;
    await server.db.db
      .updateTable('widgets')
      .set({ identity_secret: legacy })
      .where('id', '=', widget.id)
      .execute();
    expect((await startAs(server, widget, 'user-7', legacy)).status).toBe(201);
    expect((await runKeysCommand(server, 'status')).out).toContain(
      '1 widget identity secrets are not under the master key ring yet: the next start seals them.',
    );

    const { log, text } = startLog();
    await sealSecretsAtStart({ db: server.db.db, ring: server.app.vault.ring, config: server.config, log });
    expect(text()).toContain('sealed widget identity secrets under the master key ring');
    expect(kekOfRingSealed(await storedSecret(server, widget.id))).toBe(server.app.vault.ring.primary.id);
    expect((await startAs(server, widget, 'user-7', legacy)).status).toBe(201);
    expect(await reveal(server, admin, widget)).toBe(legacy);
    // The next start has nothing left to do.
    const again = startLog();
    await sealSecretsAtStart({
      db: server.db.db,
      ring: server.app.vault.ring,
      config: server.config,
      log: again.log,
    });
    expect(again.text()).toBe('');
    await server.close();
    cleanup.pop();
    expect(await rawOccurrencesAtRest(database, [legacy])).toEqual([]);
  });

  it('refuses to start without its key file when only secrets (no data key yet) are sealed under it', async () => {
    const database = await fresh();
    const server = await serve(database);
    await createWidget(server, await setupAdmin(server));
    expect(await server.db.db.selectFrom('data_keys').select('id').execute()).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'parley-lost-key-'));
    const config = loadConfig({ PARLEY_DATA_DIR: dir, PARLEY_MASTER_KEY_FILE: join(dir, 'master.keys') });
    expect(config.dataProtection.masterKey).toMatchObject({ kind: 'file', create: true });
    await expect(openVaultForStart(config, server.db)).rejects.toThrow(/No master key/);
    expect(existsSync(join(dir, 'master.keys'))).toBe(false);
  });
});
