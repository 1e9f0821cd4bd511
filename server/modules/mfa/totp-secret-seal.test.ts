import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { openTotpSecret, sealTotpSecret } from './totp-secret-seal.js';

describe('TOTP secret sealing', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-seal-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  it('creates a private 32-byte key file on first use and keeps using it', async () => {
    const dir = dataDir();
    const config = { mfaKey: null, dataDir: dir };
    const sealed = await sealTotpSecret(config, 'user-1', secret);
    expect(sealed).not.toContain(secret);
    const file = join(dir, 'mfa.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    // Two seals of the same secret differ (fresh IV), and both open.
    const again = await sealTotpSecret(config, 'user-1', secret);
    expect(again).not.toBe(sealed);
    expect(await openTotpSecret(config, 'user-1', sealed)).toBe(secret);
    expect(await openTotpSecret({ mfaKey: null, dataDir: dir }, 'user-1', again)).toBe(secret);
  });

  it('refuses another user id, an altered value and another key', async () => {
    const config = { mfaKey: randomBytes(32).toString('base64'), dataDir: dataDir() };
    const sealed = await sealTotpSecret(config, 'user-1', secret);
    await expect(openTotpSecret(config, 'user-2', sealed)).rejects.toThrow();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[2] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[2] = body.toString('base64url');
    await expect(openTotpSecret(config, 'user-1', parts.join('.'))).rejects.toThrow();
    const other = { mfaKey: randomBytes(32).toString('base64'), dataDir: config.dataDir };
    await expect(openTotpSecret(other, 'user-1', sealed)).rejects.toThrow();
    // With PARLEY_MFA_KEY set, no key file is written.
    expect(() => statSync(join(config.dataDir, 'mfa.key'))).toThrow();
  });

  it('takes PARLEY_MFA_KEY only as 32 bytes of base64', () => {
    const key = randomBytes(32).toString('base64');
    expect(loadConfig({ PARLEY_MFA_KEY: key }).mfaKey).toBe(key);
    expect(loadConfig({}).mfaKey).toBeNull();
    expect(() => loadConfig({ PARLEY_MFA_KEY: randomBytes(16).toString('base64') })).toThrow(
      /PARLEY_MFA_KEY/,
    );
    expect(() => loadConfig({ PARLEY_MFA_KEY: 'not base64 at all!' })).toThrow(/PARLEY_MFA_KEY/);
  });
});
