import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import type { PasskeyAssertionBody } from '../../../protocol/mfa.js';
import type { Config } from '../../config.js';
import { nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import type { PasskeysTable } from '../../platform/db/schema-mfa.js';
import { recordPasskeyUse } from './passkey.repository.js';
import { relyingParty, userHandleBase64Url } from './relying-party.js';

/**
 * Checks an assertion's signature, origin, RP ID, challenge, user handle and counter against the
 * stored passkey, and records the use. False when anything does not match.
 */
export async function verifyPasskeyAssertion(options: {
  db: Executor;
  config: Pick<Config, 'publicOrigin'>;
  passkey: PasskeysTable;
  response: PasskeyAssertionBody['response'];
  challenge: string;
  requireUserVerification: boolean;
}): Promise<boolean> {
  const { passkey, response } = options;
  const handle = response.response.userHandle;
  if (handle !== undefined && handle !== userHandleBase64Url(passkey.user_id)) return false;
  const rp = relyingParty(options.config);
  const result = await verifyAuthenticationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    credential: {
      id: passkey.credential_id,
      publicKey: new Uint8Array(Buffer.from(passkey.public_key, 'base64url')),
      counter: Number(passkey.counter),
      transports: JSON.parse(passkey.transports),
    },
    requireUserVerification: options.requireUserVerification,
  }).catch(() => null);
  if (!result?.verified) return false;
  await recordPasskeyUse(options.db, passkey.id, {
    counter: result.authenticationInfo.newCounter,
    backedUp: result.authenticationInfo.credentialBackedUp,
    at: nowIso(),
  });
  return true;
}
