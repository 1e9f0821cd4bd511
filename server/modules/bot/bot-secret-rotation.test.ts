import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createWidget, http, setupAdmin } from '../../../test/support/clients.js';
import { TEST_MASTER_KEY } from '../../../test/support/keys.js';
import { DIALECTS } from '../../../test/support/services.js';
import { createTestDatabase, startTestServer, type TestServer } from '../../../test/support/test-server.js';
import { keysCommand } from '../../cli/key-commands.js';
import { kekId, openKeyRing, readKeyFile, writeKeyFile } from '../../platform/crypto/key-ring.js';
import { rotateMasterKey } from '../encryption/manage-master-keys.js';
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

  /** The CLI command itself, run against the node's database; what it prints is returned. */
  const keys = async (server: TestServer, sub: string, args: string[] = []) => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((m: string) => void lines.push(m));
    const err = vi.spyOn(console, 'error').mockImplementation((m: string) => void lines.push(m));
    try {
      const code = await keysCommand(server.config, (run) => run(server.db), sub, args);
      return { code, out: lines.join('\n') };
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  };

  it('re-wraps the secret under the new key; the old key can then go and the secret still opens', async () => {
    const database = await createTestDatabase(dialect);
    cleanup.push(() => database.drop());
    const file = join(mkdtempSync(join(tmpdir(), 'parley-keys-')), 'master.keys');
    writeKeyFile(file, [TEST_MASTER_KEY]);
    const env = { PARLEY_MASTER_KEY: '', PARLEY_MASTER_KEY_FILE: file };
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
    const k1 = kekId(Buffer.from(TEST_MASTER_KEY, 'base64'));
    const sealedBefore = (await findBotSettings(server.db.db, widget.id))?.external_bot_secret as string;
    expect(kekOfSealedSecret(sealedBefore)).toBe(k1);
    expect((await keys(server, 'status')).out).toContain(
      `${k1}  current   wraps 0 data keys and 1 bot signing secrets`,
    );

    const rotated = await keys(server, 'rotate');
    expect(rotated.code, rotated.out).toBe(0);
    const k2 = /Added master key (k[0-9a-f]{12})/.exec(rotated.out)?.[1] as string;
    expect(k2).toBeDefined();
    expect(rotated.out).toContain(`Re-wrapped 1 external bot signing secrets under ${k2}.`);
    const sealedAfter = (await findBotSettings(server.db.db, widget.id))?.external_bot_secret as string;
    expect(kekOfSealedSecret(sealedAfter)).toBe(k2);

    // Once more with the same keys: nothing left to re-wrap, and the secret is untouched.
    const ring = openKeyRing({ kind: 'file', file, create: false }).ring;
    expect(await rewrapBotSecrets({ db: server.db.db, ring })).toBe(0);
    expect((await findBotSettings(server.db.db, widget.id))?.external_bot_secret).toBe(sealedAfter);

    const retired = await keys(server, 'retire', ['--key', k1]);
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
    const file = join(mkdtempSync(join(tmpdir(), 'parley-keys-')), 'master.keys');
    writeKeyFile(file, [TEST_MASTER_KEY]);
    const env = { PARLEY_MASTER_KEY: '', PARLEY_MASTER_KEY_FILE: file };
    const server = await startTestServer({ database, env });
    cleanup.push(() => server.close());
    const admin = await setupAdmin(server);
    const widget = await createWidget(server, admin);
    await http(
      server,
      'POST',
      `/api/v1/workspaces/${admin.workspaceId}/widgets/${widget.id}/external-bot/secret`,
      {
        cookie: admin.cookie,
        body: {},
      },
    );
    // A rotation that moved the data keys but not the secret (as before this fix): simulated by
    // putting a new key first and re-wrapping the data keys only, through the data-key rotation.
    const ring = openKeyRing({ kind: 'file', file, create: false }).ring;
    const r = await rotateMasterKey({ db: server.db.db, ring, batchSize: 100 });
    expect(r.finished).toBe(true);
    const k1 = kekId(Buffer.from(TEST_MASTER_KEY, 'base64'));
    const refused = await keys(server, 'retire', ['--key', k1]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`1 external bot signing secrets are still wrapped under ${k1}`);
    expect(readKeyFile(file)).toHaveLength(2);
  });
});
