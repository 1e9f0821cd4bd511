import { AppError } from '../../errors.js';
import { fieldAad } from '../../platform/crypto/envelope.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import { openWithRing, sealWithRing } from '../../platform/crypto/ring-seal.js';

/**
 * TOTP secrets are stored sealed under the master key ring (AES-256-GCM), with the user id as
 * associated data so a sealed secret cannot be moved to another user's row; `parley keys rotate`
 * re-wraps them with everything else. These two functions are the only place that knows how; the
 * rest of the module sees strings.
 */
const aad = (userId: string) => fieldAad('totp_credentials', 'secret_sealed', userId);

export function sealTotpSecret(ring: KeyRing, userId: string, secret: string): string {
  return sealWithRing(ring, aad(userId), secret);
}

/**
 * Throws DecryptionError when the sealed value was altered, belongs to another user or its master key
 * is not in the ring. A secret still sealed with the retired `mfa.key` (moved under the ring at
 * start, when that key is there) cannot be checked: `mfa_totp_unreadable` tells its owner what to do.
 */
export function openTotpSecret(ring: KeyRing, userId: string, sealed: string): string {
  if (isMfaKeySealed(sealed)) throw new AppError('mfa_totp_unreadable');
  return openWithRing(ring, aad(userId), sealed);
}

/** Sealed with the separate `mfa.key` / PARLEY_MFA_KEY that earlier versions used: `v1.<iv>.<body>.<tag>`. */
export function isMfaKeySealed(sealed: string): boolean {
  return sealed.startsWith('v1.');
}
