import { afterAll, describe, expect, it } from 'vitest';
import { createWidget, http, setupAdmin } from '../../../test/support/clients.js';
import { keyFileSetup, runKeysCommand } from '../../../test/support/key-commands.js';
import { TEST_MASTER_KEY } from '../../../test/support/keys.js';
import { DIALECTS } from '../../../test/support/services.js';
import { createTestDatabase, startTestServer } from '../../../test/support/test-server.js';
import { newMasterKey, openKeyRing, readKeyFile, writeKeyFile } from '../../platform/crypto/key-ring.js';
import { rotateDataKeys } from '../encryption/rotate-data-keys.js';
import { kekOfSealedSecret, openWebhookSecret } from './bot-secret.js';
import { findBotSettings } from './flow.repository.js';
import { rewrapBotSecrets } from './rewrap-bot-secrets.js';

/**
 * `parley keys rotate` re-wraps the external bot's signing secret too (it is wrapped under the
 * master key ring, not a data key), and `keys retire` refuses to drop a key a secret still needs.
 */
describe.each(DIALECTS)('master key rotation and the bot signing secret (%s)', (dialect) => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  it('re-wraps the secret under the new key; the old key can then go and the secret still opens', async () => {
    const database = await createTestDatabase(dialect);
    cleanup.push(() => database.drop());
    const { file, env, firstKekId: k1 } = keyFileSetup();
    const server = await startTestServer({ database, env });
    const admin = await setupAdmin(server);
    const widget = await createWidget(server, admin);
    const made = await http(
      server,
      'POST',
      `/api/v1/workspaces/${admin.workspaceId}/widgets/${widget.id}/external-bot/secret`,
      { cookie: admin.cookie, body: {} },
    );
    expect(made.status).toBe(200);
    const secret = made.body.secret as string;
    const sealedBefore = (await findBotSettings(server.db.db, widget.id))?.external_bot_secret as string;
    expect(kekOfSealedSecret(sealedBefore)).toBe(k1);
    expect((await runKeysCommand(server, 'status')).out).toContain(
      `${k1}  current   wraps 0 data keys, 1 widget identity secrets and 1 bot signing secrets`,
    );

    const rotated = await runKeysCommand(server, 'rotate');
    expect(rotated.code, rotated.out).toBe(0);
    const k2 = /Added master key (k[0-9a-f]{12})/.exec(rotated.out)?.[1] as string;
    expect(k2).toBeDefined();
    expect(rotated.out).toContain(`Re-wrapped 1 bot signing secrets under ${k2}.`);
    const sealedAfter = (await findBotSettings(server.db.db, widget.id))?.external_bot_secret as string;
    expect(kekOfSealedSecret(sealedAfter)).toBe(k2);

    // Once more with the same keys: nothing left to re-wrap, and the secret is untouched.
    const ring = openKeyRing({ kind: 'file', file, create: false }).ring;
    expect(await rewrapBotSecrets({ db: server.db.db, ring })).toBe(0);
    expect((await findBotSettings(server.db.db, widget.id))?.external_bot_secret).toBe(sealedAfter);

    const retired = await runKeysCommand(server, 'retire', ['--key', k1]);
    expect(retired.code, retired.out).toBe(0);
    expect(readKeyFile(file)).toHaveLength(1);
    expect(readKeyFile(file)).not.toContain(TEST_MASTER_KEY);
    await server.close();

    // A node started with only the keys left opens the secret the site holds.
    const restarted = await startTestServer({ database, env });
    cleanup.push(() => restarted.close());
    const sealed = (await findBotSettings(restarted.db.db, widget.id))?.external_bot_secret as string;
    expect(openWebhookSecret(restarted.app.vault.ring, widget.id, sealed)).toBe(secret);
  });

  it('refuses to retire a key that still wraps a signing secret', async () => {
    const database = await createTestDatabase(dialect);
    cleanup.push(() => database.drop());
    const { file, env, firstKekId: k1 } = keyFileSetup();
    const server = await startTestServer({ database, env });
    cleanup.push(() => server.close());
    const admin = await setupAdmin(server);
    const widget = await createWidget(server, admin);
    await http(
      server,
      'POST',
      `/api/v1/workspaces/${admin.workspaceId}/widgets/${widget.id}/external-bot/secret`,
      { cookie: admin.cookie, body: {} },
    );
    // A rotation that moved the data keys but nothing sealed under the ring itself (a rotation
    // stopped between the two): a new key first in the file, the data keys re-wrapped alone.
    writeKeyFile(file, [newMasterKey(), ...readKeyFile(file)]);
    const ring = openKeyRing({ kind: 'file', file, create: false }).ring;
    expect((await rotateDataKeys({ db: server.db.db, ring, batchSize: 100 })).finished).toBe(true);
    const refused = await runKeysCommand(server, 'retire', ['--key', k1]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(
      `1 widget identity secrets, 1 bot signing secrets are still wrapped under ${k1}`,
    );
    expect(readKeyFile(file)).toHaveLength(2);
    // Running the rotation again finishes it rather than adding yet another key; then retire works.
    const again = await runKeysCommand(server, 'rotate');
    expect(again.out).not.toContain('Added master key');
    expect(again.out).toContain('Re-wrapped 1 bot signing secrets');
    expect((await runKeysCommand(server, 'retire', ['--key', k1])).code).toBe(0);
    expect(readKeyFile(file)).toHaveLength(1);
  });
});
