import { MFA_LIMITS } from '../../../protocol/mfa.js';
import { AppError } from '../../errors.js';
import { isoFromNow, nowIso } from '../../platform/clock.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { endSession } from '../auth/end-session.js';
import { auditActor, type FactorContext } from './factor-context.js';
import { countAttempt, findSessionFactor, userFailuresSince } from './session-factor.repository.js';

const HOUR_MS = 60 * 60_000;
export type FactorMethod = 'totp' | 'recovery_code' | 'passkey';

const owner = (ctx: FactorContext) => ({
  sessionId: ctx.agent.sessionId,
  workspaceId: ctx.agent.workspaceId,
  userId: ctx.agent.userId,
});

/**
 * Counts an attempt before the factor is checked (a success clears the count). A session that keeps
 * guessing ends; an account guessed at from many sessions pauses for an hour.
 */
export async function countSecondFactorAttempt(ctx: FactorContext): Promise<void> {
  const recent = await userFailuresSince(ctx.db, ctx.agent.userId, isoFromNow(-HOUR_MS));
  if (recent >= MFA_LIMITS.maxFailuresPerUserHour) {
    throw new AppError('rate_limited', {
      message: 'Too many wrong codes for this account. Try again in an hour.',
    });
  }
  const attempts = await countAttempt(ctx.db, owner(ctx), nowIso());
  if (attempts > MFA_LIMITS.maxFailuresPerSession) await endForTooManyFailures(ctx);
}

/** Records the miss, ends the session at the limit, and refuses. */
export async function secondFactorFailed(
  ctx: FactorContext,
  method: FactorMethod,
  code: 'mfa_code_invalid' | 'passkey_invalid' = 'mfa_code_invalid',
): Promise<never> {
  const failures = (await findSessionFactor(ctx.db, ctx.agent.sessionId))?.failures ?? 1;
  await recordAuditEvent(
    ctx.db,
    {
      ...auditActor(ctx),
      action: 'auth.second_factor.failed',
      target: { type: 'session', id: ctx.agent.sessionId },
      details: { method, failures: Number(failures) },
    },
    ctx.log,
  );
  if (Number(failures) >= MFA_LIMITS.maxFailuresPerSession) await endForTooManyFailures(ctx);
  throw new AppError(code);
}

async function endForTooManyFailures(ctx: FactorContext): Promise<never> {
  await endSession({ db: ctx.db, pubsub: ctx.pubsub, sessionId: ctx.agent.sessionId });
  throw new AppError('session_expired', { message: 'Too many wrong attempts. Sign in again.' });
}
