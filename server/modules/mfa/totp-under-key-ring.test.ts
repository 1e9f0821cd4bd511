import { createCipheriv, randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MFA_LIMITS } from '../../../protocol/mfa.js';
import { PASSWORD, setupAdmin } from '../../../test/support/clients.js';
import { keyFileSetup, rotateAndRetire, runKeysCommand } from '../../../test/support/key-commands.js';
import { enrollTotp, passwordSignIn, totpCode, verifyCode } from '../../../test/support/mfa.js';
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
import { sealSecretsAtStart } from '../../cli/start-data-protection.js';
import { clock } from '../../platform/clock.js';
import { kekOfRingSealed } from '../../platform/crypto/ring-seal.js';

const STEP = MFA_LIMITS.totpPeriodSeconds * 1000;
const EMAIL = 'admin@example.com';

/** How earlier versions sealed a TOTP secret with mfa.key / PARLEY_MFA_KEY, for rows they left behind. */
function sealWithMfaKey(key: Buffer, userId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(userId, 'utf8'));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv, body, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** TOTP secrets are sealed under the master key ring; no other key is made, and rotation keeps sign-in working. */
describe.each(DIALECTS)('TOTP secrets under the key ring (%s)', (dialect) => {
  const cleanup: Array<() => Promise<void>> = [];
  const realNow = clock.now;
  afterEach(() => {
    clock.now = realNow;
  });
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  });
  // Each sign-in below uses a later time step, so no code counts as replayed.
  let step = Math.floor(Date.now() / STEP);
  const nextStep = () => {
    step += 2;
    const at = step * STEP + STEP / 2;
    clock.now = () => at;
    return at;
  };
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
  const signInWithTotp = async (server: TestServer, secret: string) => {
    const { cookie } = await passwordSignIn(server, EMAIL, PASSWORD);
    return verifyCode(server, cookie, totpCode(secret, nextStep()));
  };
  const storedSecret = async (server: TestServer) =>
    await server.db.db
      .selectFrom('totp_credentials')
      .select(['user_id', 'secret_sealed'])
      .executeTakeFirstOrThrow();

  it('stores no secret in the clear and no key file of its own; sign-in works through rotate and retire', async () => {
    const database = await fresh();
    const keys = keyFileSetup();
    const server = await serve(database, keys.env);
    nextStep();
    const { secret } = await enrollTotp(server, await setupAdmin(server));
    expect(kekOfRingSealed((await storedSecret(server)).secret_sealed)).toBe(keys.firstKekId);
    expect(await rawOccurrences(database, [secret])).toEqual([]);
    expect(existsSync(join(server.config.dataDir, 'mfa.key'))).toBe(false);
    expect((await runKeysCommand(server, 'status')).out).toContain('1 TOTP secrets');

    const k2 = await rotateAndRetire(server, keys.firstKekId);
    expect(kekOfRingSealed((await storedSecret(server)).secret_sealed)).toBe(k2);
    await server.close();
    cleanup.pop();
    const restarted = await serve(database, keys.env);
    // The secret set up under the retired key still checks codes: the new key opened it.
    expect((await signInWithTotp(restarted, secret)).status).toBe(200);
    await restarted.close();
    cleanup.pop();
    expect(await rawOccurrencesAtRest(database, [secret])).toEqual([]);
  });

  it('moves secrets sealed with PARLEY_MFA_KEY under the ring at start, and then says the setting can go', async () => {
    const database = await fresh();
    const server = await serve(database);
    nextStep();
    const { secret } = await enrollTotp(server, await setupAdmin(server));
    const mfaKey = randomBytes(32);
    const row = await storedSecret(server);
    const legacy = sealWithMfaKey(mfaKey, row.user_id, secret);
    await server.db.db.updateTable('totp_credentials').set({ secret_sealed: legacy }).execute();
    expect((await runKeysCommand(server, 'status')).out).toContain(
      '1 TOTP secrets are still sealed with the retired mfa.key / PARLEY_MFA_KEY',
    );

    const { log, text } = startLog();
    const config = { ...server.config, mfaKey: mfaKey.toString('base64') };
    await sealSecretsAtStart({ db: server.db.db, ring: server.app.vault.ring, config, log });
    expect(text()).toContain('moved TOTP secrets from the retired mfa key to the master key ring');
    expect(text()).toContain('PARLEY_MFA_KEY is deprecated and no longer used');
    expect(kekOfRingSealed((await storedSecret(server)).secret_sealed)).toBe(
      server.app.vault.ring.primary.id,
    );
    expect((await signInWithTotp(server, secret)).status).toBe(200);
    await server.close();
    cleanup.pop();
    expect(await rawOccurrencesAtRest(database, [secret, legacy])).toEqual([]);
  });

  it('without the old key, keeps the secret, says so, and lets its owner in by recovery code; the key back moves it', async () => {
    const database = await fresh();
    const server = await serve(database);
    nextStep();
    const { secret, recoveryCodes } = await enrollTotp(server, await setupAdmin(server));
    const mfaKey = randomBytes(32);
    const row = await storedSecret(server);
    const legacy = sealWithMfaKey(mfaKey, row.user_id, secret);
    await server.db.db.updateTable('totp_credentials').set({ secret_sealed: legacy }).execute();

    // A start without PARLEY_MFA_KEY and without mfa.key: nothing is lost, nothing is made up.
    const missing = startLog();
    await sealSecretsAtStart({
      db: server.db.db,
      ring: server.app.vault.ring,
      config: server.config,
      log: missing.log,
    });
    expect(missing.text()).toContain('1 TOTP secrets are still sealed with the retired mfa key');
    expect(missing.text()).toContain(join(server.config.dataDir, 'mfa.key'));
    expect((await storedSecret(server)).secret_sealed).toBe(legacy);
    expect(existsSync(join(server.config.dataDir, 'mfa.key'))).toBe(false);

    const refused = await signInWithTotp(server, secret);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('mfa_totp_unreadable');
    const { cookie } = await passwordSignIn(server, EMAIL, PASSWORD);
    expect((await verifyCode(server, cookie, recoveryCodes[0] as string)).status).toBe(200);

    // Another node's key (each node once made its own mfa.key) opens nothing and changes nothing.
    const otherNode = startLog();
    await sealSecretsAtStart({
      db: server.db.db,
      ring: server.app.vault.ring,
      config: { ...server.config, mfaKey: randomBytes(32).toString('base64') },
      log: otherNode.log,
    });
    expect(otherNode.text()).toContain('do not open with PARLEY_MFA_KEY');
    expect((await storedSecret(server)).secret_sealed).toBe(legacy);

    // The old key file put back into the data directory: the next start moves the secret.
    writeFileSync(join(server.config.dataDir, 'mfa.key'), mfaKey.toString('base64'), { mode: 0o600 });
    const back = startLog();
    await sealSecretsAtStart({
      db: server.db.db,
      ring: server.app.vault.ring,
      config: server.config,
      log: back.log,
    });
    expect(back.text()).toContain('moved TOTP secrets');
    expect((await signInWithTotp(server, secret)).status).toBe(200);
  });
});
