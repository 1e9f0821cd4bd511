import type { KeyRing } from './key-ring.js';

/**
 * Small secrets Parley has to read back (a widget's identity secret, a TOTP secret, mail holding a
 * live link) are sealed directly under the master key ring rather than under a visitor's data key:
 * `<kek id>:<base64url(iv ‖ ciphertext ‖ tag)>`, AES-256-GCM with the row as associated data. The
 * kek id in front lets `parley keys rotate` find what is still under an older key and `keys retire`
 * refuse a key that something still needs. External bot signing secrets use the same form.
 */
const SEALED = /^k[0-9a-f]{12}:[A-Za-z0-9_-]+$/;

export function sealWithRing(ring: KeyRing, aad: string, plaintext: string): string {
  const { kekId, wrapped } = ring.wrap(Buffer.from(plaintext, 'utf8'), aad);
  return `${kekId}:${wrapped}`;
}

/** Throws DecryptionError when the value was altered, moved to another row or its key is not in the ring. */
export function openWithRing(ring: KeyRing, aad: string, sealed: string): string {
  const at = sealed.indexOf(':');
  return ring.unwrap(sealed.slice(0, at), sealed.slice(at + 1), aad, `secret (${aad})`).toString('utf8');
}

/** The master key a sealed value is under, or null for a value that is not sealed under the ring. */
export function kekOfRingSealed(value: string): string | null {
  return SEALED.test(value) ? value.slice(0, value.indexOf(':')) : null;
}
