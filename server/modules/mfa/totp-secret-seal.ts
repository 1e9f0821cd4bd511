import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config.js';

/**
 * TOTP secrets are stored sealed: AES-256-GCM under a 32-byte key, with the user id as associated
 * data so a sealed secret cannot be moved to another user's row. The key comes from PARLEY_MFA_KEY
 * or, when that is unset, from `mfa.key` (0600) in the data directory, created on first use.
 * These two functions are the only place that knows how; the rest of the module sees strings.
 */
type SealConfig = Pick<Config, 'mfaKey' | 'dataDir'>;

const VERSION = 'v1';
const KEY_FILE = 'mfa.key';
const keys = new Map<string, Buffer>();

export async function sealTotpSecret(config: SealConfig, userId: string, secret: string): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(config), iv);
  cipher.setAAD(Buffer.from(userId, 'utf8'));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, body, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Throws when the sealed value was altered, belongs to another user or was sealed under another key. */
export async function openTotpSecret(config: SealConfig, userId: string, sealed: string): Promise<string> {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== VERSION || !iv || !body || !tag) throw new Error('Unknown sealed TOTP secret format.');
  const decipher = createDecipheriv('aes-256-gcm', keyFor(config), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(userId, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

function keyFor(config: SealConfig): Buffer {
  if (config.mfaKey) return Buffer.from(config.mfaKey, 'base64');
  let key = keys.get(config.dataDir);
  if (!key) {
    key = loadOrCreateKeyFile(config.dataDir);
    keys.set(config.dataDir, key);
  }
  return key;
}

/**
 * Several processes may start at once on one data directory: the key is written to a private temp
 * file and linked into place, so exactly one key wins and nobody reads a half-written file.
 */
function loadOrCreateKeyFile(dataDir: string): Buffer {
  const path = join(dataDir, KEY_FILE);
  const existing = readKey(path);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const temp = join(dataDir, `.${KEY_FILE}.${process.pid}.${randomBytes(6).toString('hex')}`);
  writeFileSync(temp, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(temp);
  }
  const key = readKey(path);
  if (!key) throw new Error(`${path} does not hold a 32-byte base64 key.`);
  return key;
}

function readKey(path: string): Buffer | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key.`);
  return key;
}
