import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TEST_MASTER_KEY, TEST_MASTER_KEY_2 } from '../../../test/support/keys.js';
import { loadConfig } from '../../config.js';
import { openKeyRing } from '../../platform/crypto/key-ring.js';
import { kekOfRingSealed } from '../../platform/crypto/ring-seal.js';
import { openTotpSecret, sealTotpSecret } from './totp-secret-seal.js';

describe('TOTP secret sealing', () => {
  const ring = openKeyRing({ kind: 'env', keys: [TEST_MASTER_KEY] }).ring;
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  it('seals under the master key ring, a fresh IV each time, and opens for the same user', () => {
    const sealed = sealTotpSecret(ring, 'user-1', secret);
    expect(sealed).not.toContain(secret);
    expect(kekOfRingSealed(sealed)).toBe(ring.primary.id);
    const again = sealTotpSecret(ring, 'user-1', secret);
    expect(again).not.toBe(sealed);
    expect(openTotpSecret(ring, 'user-1', sealed)).toBe(secret);
    expect(openTotpSecret(ring, 'user-1', again)).toBe(secret);
  });

  it('refuses another user id, an altered value and a ring without the key', () => {
    const sealed = sealTotpSecret(ring, 'user-1', secret);
    expect(() => openTotpSecret(ring, 'user-2', sealed)).toThrow(/does not decrypt/);
    const [kek, body = ''] = sealed.split(':');
    const bytes = Buffer.from(body, 'base64url');
    bytes[14] = (bytes[14] ?? 0) ^ 1;
    expect(() => openTotpSecret(ring, 'user-1', `${kek}:${bytes.toString('base64url')}`)).toThrow(
      /does not decrypt/,
    );
    const other = openKeyRing({ kind: 'env', keys: [TEST_MASTER_KEY_2] }).ring;
    expect(() => openTotpSecret(other, 'user-1', sealed)).toThrow(/not in the key ring/);
  });

  it('answers mfa_totp_unreadable for a secret still sealed with the retired mfa key', () => {
    expect(() => openTotpSecret(ring, 'user-1', 'v1.aaaa.bbbb.cccc')).toThrow(
      expect.objectContaining({ code: 'mfa_totp_unreadable' }),
    );
  });

  it('still takes PARLEY_MFA_KEY (deprecated, for moving old secrets) only as 32 bytes of base64', () => {
    const key = randomBytes(32).toString('base64');
    expect(loadConfig({ PARLEY_MFA_KEY: key }).mfaKey).toBe(key);
    expect(loadConfig({}).mfaKey).toBeNull();
    expect(() => loadConfig({ PARLEY_MFA_KEY: randomBytes(16).toString('base64') })).toThrow(
      /PARLEY_MFA_KEY/,
    );
    expect(() => loadConfig({ PARLEY_MFA_KEY: 'not base64 at all!' })).toThrow(/PARLEY_MFA_KEY/);
  });
});
