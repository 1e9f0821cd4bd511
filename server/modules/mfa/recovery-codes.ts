import { randomBytes } from 'node:crypto';
import { MFA_LIMITS } from '../../../protocol/mfa.js';
import { hashSecret } from '../../platform/crypto/tokens.js';

/**
 * Crockford's base32 (no i, l, o, u): 20 characters carry 100 random bits. People may type the
 * look-alikes, so i/l read as 1 and o as 0, and case, spaces and dashes are ignored.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const LENGTH = 20;

export function newRecoveryCodes(): string[] {
  return Array.from({ length: MFA_LIMITS.recoveryCodeCount }, () => {
    // 256 is a multiple of 32, so masking each byte to 5 bits is uniform.
    const chars = [...randomBytes(LENGTH)].map((b) => ALPHABET[b & 31]).join('');
    return chars.match(/.{5}/g)?.join('-') ?? chars;
  });
}

/** The canonical form of a typed code, or null if it cannot be a recovery code. */
export function normalizeRecoveryCode(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]/g, '').replace(/[il]/g, '1').replace(/o/g, '0');
  if (code.length !== LENGTH || ![...code].every((c) => ALPHABET.includes(c))) return null;
  return code;
}

/** Recovery codes are high-entropy, so a fast hash is enough, as for session tokens. */
export function hashRecoveryCode(code: string): string {
  return hashSecret(`recovery:${normalizeRecoveryCode(code) ?? code}`);
}
