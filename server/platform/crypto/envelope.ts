import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with associated data. A sealed value is text, `e1:` + base64url(iv ‖ ciphertext ‖ tag),
 * so it fits the same text columns on SQLite and PostgreSQL. The associated data names the row and
 * column the value belongs to: a ciphertext copied into another row does not decrypt.
 */
export const SEALED_PREFIX = 'e1:';
/** Rows written before encryption at rest existed are marked by the migration until they are sealed. */
export const LEGACY_PREFIX = 'p0:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptionError extends Error {
  override readonly name = 'DecryptionError';
}

/**
 * IVs come from a pool of random bytes drawn 4 KiB at a time: one call into the CSPRNG serves 341
 * seals instead of one (two seals per stored message made it a measurable part of the message path).
 * The offset only moves forward and the pool is never reused, so each IV is 96 fresh random bits used
 * once, exactly as a draw per seal. IVs are not secret; they are written beside the ciphertext.
 */
const IV_POOL_BYTES = IV_BYTES * 341;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;

export function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

export function sealBytes(key: Buffer, aad: string, plaintext: Buffer): Buffer {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

/** Throws DecryptionError with `what` in the message when the value was altered, moved or the key is wrong. */
export function openBytes(key: Buffer, aad: string, sealed: Buffer, what: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new DecryptionError(`${what} is truncated.`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new DecryptionError(
      `${what} does not decrypt: it was altered, copied from another row, or encrypted under another key.`,
    );
  }
}

export function sealText(key: Buffer, aad: string, plaintext: string): string {
  return SEALED_PREFIX + sealBytes(key, aad, Buffer.from(plaintext, 'utf8')).toString('base64url');
}

export function openText(key: Buffer, aad: string, value: string, what: string): string {
  if (value.startsWith(LEGACY_PREFIX)) return value.slice(LEGACY_PREFIX.length);
  if (!value.startsWith(SEALED_PREFIX)) throw new DecryptionError(`${what} is not an encrypted value.`);
  const sealed = Buffer.from(value.slice(SEALED_PREFIX.length), 'base64url');
  return openBytes(key, aad, sealed, what).toString('utf8');
}

/** The associated data for one column of one row: `parley/<table>.<column>/<row id>`. */
export function fieldAad(table: string, column: string, rowId: string): string {
  return `parley/${table}.${column}/${rowId}`;
}
