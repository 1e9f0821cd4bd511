import { randomUUID } from 'node:crypto';
import { MFA_LIMITS, type TotpEnrollment } from '../../../protocol/mfa.js';
import { AppError } from '../../errors.js';
import { clock } from '../../platform/clock.js';
import type { FactorContext } from './factor-context.js';
import { assertMayChangeFactors } from './factor-guards.js';
import { newTotpSecret, totpUri } from './totp.js';
import { findTotp, replacePendingTotp } from './totp.repository.js';
import { sealTotpSecret } from './totp-secret-seal.js';

/**
 * Starts TOTP setup: a fresh secret, stored sealed and unconfirmed. This response is the only time
 * the secret leaves the server; it takes effect once a first code confirms it.
 */
export async function startTotpEnrollment(ctx: FactorContext): Promise<TotpEnrollment> {
  const { agent } = ctx;
  assertMayChangeFactors(agent);
  if ((await findTotp(ctx.db, agent.userId))?.confirmed_at) throw new AppError('mfa_already_enrolled');
  const secret = newTotpSecret();
  const now = clock.now();
  await replacePendingTotp(ctx.db, {
    id: randomUUID(),
    workspace_id: agent.workspaceId,
    user_id: agent.userId,
    secret_sealed: sealTotpSecret(ctx.ring, agent.userId, secret),
    confirmed_at: null,
    last_used_step: null,
    created_at: new Date(now).toISOString(),
  });
  return {
    secret,
    otpauthUri: totpUri(secret, agent.email),
    expiresAt: new Date(now + MFA_LIMITS.enrollmentTtlMs).toISOString(),
  };
}
