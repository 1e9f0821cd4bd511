import type { Config } from '../../config.js';

/**
 * Parley is the WebAuthn relying party: its ID is the host name of PARLEY_PUBLIC_URL and the only
 * origin a passkey ceremony is accepted from is Parley's public origin.
 */
export function relyingParty(config: Pick<Config, 'publicOrigin'>) {
  return { id: new URL(config.publicOrigin).hostname, name: 'Parley', origin: config.publicOrigin };
}

/**
 * The WebAuthn user handle: the user's id, which is random and says nothing about the person
 * (the specification forbids personal data here).
 */
export function userHandle(userId: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(userId);
}

export function userHandleBase64Url(userId: string): string {
  return Buffer.from(userHandle(userId)).toString('base64url');
}
