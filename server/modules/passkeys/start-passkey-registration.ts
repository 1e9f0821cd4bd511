import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
} from '@simplewebauthn/server';
import { MFA_LIMITS } from '../../../protocol/mfa.js';
import { AppError } from '../../errors.js';
import type { FactorContext } from '../mfa/factor-context.js';
import { assertMayChangeFactors } from '../mfa/factor-guards.js';
import { listUserPasskeys } from './passkey.repository.js';
import { relyingParty, userHandle } from './relying-party.js';
import { rememberChallenge } from './webauthn-challenges.js';

/**
 * Options for navigator.credentials.create(). The credential must be discoverable (so it can sign
 * in without a password); the kind of authenticator is not restricted, so a phone can be used
 * through the browser's cross-device (QR code) flow.
 */
export async function startPasskeyRegistration(
  ctx: Pick<FactorContext, 'db' | 'config' | 'agent'>,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { agent } = ctx;
  assertMayChangeFactors(agent);
  const existing = await listUserPasskeys(ctx.db, agent.userId);
  if (existing.length >= MFA_LIMITS.maxPasskeysPerUser) {
    throw new AppError('forbidden', {
      message: `An account can have at most ${MFA_LIMITS.maxPasskeysPerUser} passkeys. Remove one first.`,
    });
  }
  const rp = relyingParty(ctx.config);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: userHandle(agent.userId),
    userName: agent.email,
    userDisplayName: agent.name,
    attestationType: 'none',
    timeout: MFA_LIMITS.challengeTtlMs,
    excludeCredentials: existing.map((p) => ({
      id: p.credential_id,
      transports: JSON.parse(p.transports) as string[],
    })),
    authenticatorSelection: {
      residentKey: 'required',
      requireResidentKey: true,
      userVerification: 'preferred',
    },
  });
  await rememberChallenge(ctx.db, options.challenge, {
    purpose: 'register',
    workspaceId: agent.workspaceId,
    userId: agent.userId,
    sessionId: agent.sessionId,
  });
  return options;
}
