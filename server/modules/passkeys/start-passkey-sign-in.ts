import {
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { MFA_LIMITS } from '../../../protocol/mfa.js';
import type { Config } from '../../config.js';
import type { Executor } from '../../platform/db/schema.js';
import { relyingParty } from './relying-party.js';
import { rememberChallenge } from './webauthn-challenges.js';

/**
 * Options for a passwordless sign-in: no credential list (the authenticator offers the passkeys it
 * holds for Parley, and nothing tells the browser which accounts exist) and user verification
 * required, so the passkey alone is two factors: the device and its PIN or biometric.
 */
export async function startPasskeySignIn(options: {
  db: Executor;
  config: Pick<Config, 'publicOrigin'>;
}): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const result = await generateAuthenticationOptions({
    rpID: relyingParty(options.config).id,
    userVerification: 'required',
    timeout: MFA_LIMITS.challengeTtlMs,
  });
  await rememberChallenge(options.db, result.challenge, {
    purpose: 'sign-in',
    workspaceId: null,
    userId: null,
    sessionId: null,
  });
  return result;
}
