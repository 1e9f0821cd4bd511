import { MFA_LIMITS, type MfaStatus } from '../../../protocol/mfa.js';
import { clock } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import type { Agent } from '../auth/agent.js';
import { isMfaRequired } from './mfa-policy.js';
import { countUnusedRecoveryCodes } from './recovery-code.repository.js';
import { findSessionFactor } from './session-factor.repository.js';
import { userFactors } from './user-factors.js';

/** Which factors the signed-in user has; never a secret, a code or a credential. */
export async function mfaStatus(db: Executor, agent: Agent): Promise<MfaStatus> {
  const [factors, left, required, session] = await Promise.all([
    userFactors(db, agent.userId),
    countUnusedRecoveryCodes(db, agent.userId),
    isMfaRequired(db, agent.workspaceId, agent.role),
    findSessionFactor(db, agent.sessionId),
  ]);
  const verifiedAt = session?.verified_at ? Date.parse(session.verified_at) : Number.NEGATIVE_INFINITY;
  return {
    totp: factors.totp,
    recoveryCodesLeft: factors.totp ? left : 0,
    passkeys: factors.passkeys,
    required,
    recentlyVerified: clock.now() - verifiedAt < MFA_LIMITS.recentVerificationMs,
  };
}
