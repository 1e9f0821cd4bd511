import { MFA_LIMITS } from '../../../protocol/mfa.js';
import { AppError } from '../../errors.js';
import { clock, nowIso } from '../../platform/clock.js';
import { acceptTotpCode } from './accept-totp-code.js';
import type { FactorContext } from './factor-context.js';
import { countSecondFactorAttempt, secondFactorFailed } from './second-factor-attempts.js';
import { clearFailures, findSessionFactor } from './session-factor.repository.js';
import { findTotp } from './totp.repository.js';

/**
 * Removing a factor or replacing recovery codes needs fresh proof: a current TOTP code with the
 * request, or a second factor proven on this session within the last ten minutes.
 */
export async function requireRecentVerification(ctx: FactorContext & { code?: string | undefined }) {
  if (ctx.code !== undefined) {
    const totp = await findTotp(ctx.db, ctx.agent.userId);
    if (!totp?.confirmed_at) throw new AppError('mfa_not_enrolled');
    await countSecondFactorAttempt(ctx);
    if (!(await acceptTotpCode(ctx.db, ctx.ring, totp, ctx.code))) await secondFactorFailed(ctx, 'totp');
    await clearFailures(ctx.db, ctx.agent.userId, nowIso());
    return;
  }
  const row = await findSessionFactor(ctx.db, ctx.agent.sessionId);
  const verifiedAt = row?.verified_at ? Date.parse(row.verified_at) : Number.NEGATIVE_INFINITY;
  if (clock.now() - verifiedAt < MFA_LIMITS.recentVerificationMs) return;
  throw new AppError('step_up_required');
}
