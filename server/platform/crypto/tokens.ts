import { createHash, randomBytes } from 'node:crypto';

/** A 256-bit random secret, base64url (43 characters): session ids, visitor credentials, tickets. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Secrets are stored only as their SHA-256: they are high-entropy, so a fast hash is enough. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}
