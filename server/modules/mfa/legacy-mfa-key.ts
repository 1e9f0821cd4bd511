import { createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config.js';

/**
 * The key earlier versions sealed TOTP secrets with: PARLEY_MFA_KEY, or `mfa.key` in the data
 * directory. Read only at start, to move those secrets under the master key ring; never created.
 */
export function readLegacyMfaKey(config: Pick<Config, 'mfaKey' | 'dataDir'>): {
  key: Buffer;
  from: string;
} | null {
  if (config.mfaKey) return { key: Buffer.from(config.mfaKey, 'base64'), from: 'PARLEY_MFA_KEY' };
  const file = legacyMfaKeyFile(config);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key.`);
  return { key, from: file };
}

export function legacyMfaKeyFile(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'mfa.key');
}

/** Opens `v1.<iv>.<body>.<tag>` (AES-256-GCM, the user id as associated data); throws if it does not. */
export function openMfaKeySealed(key: Buffer, userId: string, sealed: string): string {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || !body || !tag) throw new Error('Unknown sealed TOTP secret format.');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(userId, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
