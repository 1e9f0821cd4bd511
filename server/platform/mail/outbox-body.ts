import { fieldAad } from '../crypto/envelope.js';
import type { KeyRing } from '../crypto/key-ring.js';
import { kekOfRingSealed, openWithRing, sealWithRing } from '../crypto/ring-seal.js';

/**
 * Outbox mail carries live links (an invitation, a password reset) until they expire, so its body
 * is sealed under the master key ring with the mail's id as associated data. Mail written before
 * that is plain text until the next start seals it; it reads as it is meanwhile.
 */
const aad = (mailId: string) => fieldAad('outbox', 'body', mailId);

export function sealOutboxBody(ring: KeyRing, mailId: string, text: string): string {
  return sealWithRing(ring, aad(mailId), text);
}

export function openOutboxBody(ring: KeyRing, mailId: string, stored: string): string {
  return isUnsealedOutboxBody(stored) ? stored : openWithRing(ring, aad(mailId), stored);
}

export function isUnsealedOutboxBody(stored: string): boolean {
  return kekOfRingSealed(stored) === null;
}
