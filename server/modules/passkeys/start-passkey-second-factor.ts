import {
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { MFA_LIMITS } from '../../../protocol/mfa.js';
import { AppError } from '../../errors.js';
import type { FactorContext } from '../mfa/factor-context.js';
import { listUserPasskeys } from './passkey.repository.js';
import { relyingParty } from './relying-party.js';
import { rememberChallenge } from './webauthn-challenges.js';

/** Options to prove one of the signed-in user's passkeys, after a password or as a step-up. */
export async function startPasskeySecondFactor(
  ctx: Pick<FactorContext, 'db' | 'config' | 'agent'>,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { agent } = ctx;
  if (agent.stage === 'enroll') throw new AppError('mfa_enrollment_required');
  const passkeys = await listUserPasskeys(ctx.db, agent.userId);
  if (passkeys.length === 0) throw new AppError('mfa_not_enrolled');
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(ctx.config).id,
    allowCredentials: passkeys.map((p) => ({
      id: p.credential_id,
      transports: JSON.parse(p.transports) as string[],
    })),
    userVerification: 'preferred',
    timeout: MFA_LIMITS.challengeTtlMs,
  });
  await rememberChallenge(ctx.db, options.challenge, {
    purpose: 'second-factor',
    workspaceId: agent.workspaceId,
    userId: agent.userId,
    sessionId: agent.sessionId,
  });
  return options;
}
