import { afterAll, describe, expect, it } from 'vitest';
import { createWidget, http, setupAdmin } from '../../../test/support/clients.js';
import { keyFileSetup, runKeysCommand } from '../../../test/support/key-commands.js';
import { DIALECTS } from '../../../test/support/services.js';
import { createTestDatabase, startTestServer } from '../../../test/support/test-server.js';
import { openKeyRing } from '../../platform/crypto/key-ring.js';
import { kekOfRingSealed } from '../../platform/crypto/ring-seal.js';
import { findChannel } from './channel.repository.js';
import { openCredentials, openWebhookSecret, rewrapChannelSecrets } from './channel-secrets.js';

/**
 * `parley keys rotate` re-wraps a channel's platform credentials and webhook secret (sealed under the
 * master key ring), and `keys retire` then drops the old key; both still open afterwards.
 */
describe.each(DIALECTS)('master key rotation and channel secrets (%s)', (dialect) => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  it('re-wraps credentials and secret under the new key; the old key can then go', async () => {
    const database = await createTestDatabase(dialect);
    cleanup.push(() => database.drop());
    const { file, env, firstKekId: k1 } = keyFileSetup();
    const server = await startTestServer({ database, env });
    cleanup.push(() => server.close());
    const admin = await setupAdmin(server);
    const widget = await createWidget(server, admin);
    const made = await http(server, 'POST', `/api/v1/workspaces/${admin.workspaceId}/channels`, {
      cookie: admin.cookie,
      body: { kind: 'telegram', name: 'Telegram', widgetId: widget.id, botToken: '123456:ABC-DEF' },
    });
    expect(made.status).toBe(201);
    const id = made.body.channel.id as string;
    const before = await findChannel(server.db.db, id);
    expect(kekOfRingSealed(before?.credentials ?? '')).toBe(k1);

    const rotated = await runKeysCommand(server, 'rotate');
    expect(rotated.code, rotated.out).toBe(0);
    const k2 = /Added master key (k[0-9a-f]{12})/.exec(rotated.out)?.[1] as string;
    expect(rotated.out).toContain(`Re-wrapped 1 channel credentials and webhook secrets under ${k2}.`);
    const after = await findChannel(server.db.db, id);
    expect(kekOfRingSealed(after?.credentials ?? '')).toBe(k2);
    expect(kekOfRingSealed(after?.webhook_secret ?? '')).toBe(k2);
    const ring = openKeyRing({ kind: 'file', file, create: false }).ring;
    expect(await rewrapChannelSecrets({ db: server.db.db, ring })).toBe(0);

    expect((await runKeysCommand(server, 'retire', ['--key', k1])).code).toBe(0);
    const left = openKeyRing({ kind: 'file', file, create: false }).ring;
    expect(openCredentials(left, id, after?.credentials ?? '')).toEqual({ botToken: '123456:ABC-DEF' });
    expect(openWebhookSecret(left, id, after?.webhook_secret ?? '')).toBe(made.body.webhookSecret);
  });
});
