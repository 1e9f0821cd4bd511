import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { acceptTotpCode } from './accept-totp-code.js';
import { auditActor, type FactorContext } from './factor-context.js';
import { issueVerifiedSession } from './issue-verified-session.js';
import { countUnusedRecoveryCodes, spendRecoveryCode } from './recovery-code.repository.js';
import { hashRecoveryCode, normalizeRecoveryCode } from './recovery-codes.js';
import { countSecondFactorAttempt, type FactorMethod, secondFactorFailed } from './second-factor-attempts.js';
import { findTotp } from './totp.repository.js';

/**
 * The second factor by code: six digits from the authenticator app, or one of the recovery codes.
 * Works after a password (stage 'mfa') and as a step-up on a complete session; either way the
 * session is replaced by a new one.
 */
export async function verifySecondFactorCode(ctx: FactorContext & { code: string }) {
  const { agent } = ctx;
  if (agent.stage === 'enroll') throw new AppError('mfa_enrollment_required');
  const totp = await findTotp(ctx.db, agent.userId);
  if (!totp?.confirmed_at) throw new AppError('mfa_not_enrolled');
  await countSecondFactorAttempt(ctx);
  const typed = ctx.code.replace(/[\s-]/g, '');
  const method: FactorMethod = /^[0-9]{6}$/.test(typed) ? 'totp' : 'recovery_code';
  const ok =
    method === 'totp'
      ? await acceptTotpCode(ctx.db, ctx.ring, totp, typed)
      : normalizeRecoveryCode(typed) !== null &&
        (await spendRecoveryCode(ctx.db, agent.userId, hashRecoveryCode(typed), nowIso()));
  if (!ok) await secondFactorFailed(ctx, method);

  return ctx.db.transaction().execute(async (trx) => {
    const actor = auditActor(ctx);
    const target = { type: 'user', id: agent.userId };
    if (method === 'recovery_code') {
      const left = await countUnusedRecoveryCodes(trx, agent.userId);
      await recordAuditEvent(
        trx,
        { ...actor, action: 'mfa.recovery_code.used', target, details: { left } },
        ctx.log,
      );
    }
    await recordAuditEvent(
      trx,
      {
        ...actor,
        action: 'auth.second_factor.succeeded',
        target,
        details: { method, stepUp: agent.stage === 'full' },
      },
      ctx.log,
    );
    return issueVerifiedSession({ ...ctx, db: trx });
  });
}
