import { randomUUID } from 'node:crypto';
import { MFA_LIMITS } from '../../../protocol/mfa.js';
import { AppError } from '../../errors.js';
import { clock, nowIso } from '../../platform/clock.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { Agent } from '../auth/agent.js';
import type { createSession } from '../auth/create-session.js';
import { auditActor, type FactorContext } from './factor-context.js';
import { assertMayChangeFactors } from './factor-guards.js';
import { issueVerifiedSession } from './issue-verified-session.js';
import { replaceRecoveryCodes } from './recovery-code.repository.js';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes.js';
import { matchTotpStep } from './totp.js';
import { confirmTotp, findTotp } from './totp.repository.js';
import { openTotpSecret } from './totp-secret-seal.js';

/**
 * Confirms TOTP setup with a first code and creates ten recovery codes (returned once). A session
 * that was held at enrollment is replaced by a new, complete one.
 */
export async function confirmTotpEnrollment(ctx: FactorContext & { code: string }): Promise<{
  recoveryCodes: string[];
  agent: Agent;
  session: Awaited<ReturnType<typeof createSession>> | null;
}> {
  const { agent } = ctx;
  assertMayChangeFactors(agent);
  const row = await findTotp(ctx.db, agent.userId);
  if (row?.confirmed_at) throw new AppError('mfa_already_enrolled');
  if (!row || clock.now() - Date.parse(row.created_at) > MFA_LIMITS.enrollmentTtlMs) {
    throw new AppError('mfa_not_enrolled', { message: 'This setup has expired. Start again.' });
  }
  const secret = openTotpSecret(ctx.ring, agent.userId, row.secret_sealed);
  const step = matchTotpStep(secret, ctx.code, clock.now());
  if (step === null) throw new AppError('mfa_code_invalid');
  const recoveryCodes = newRecoveryCodes();
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await confirmTotp(trx, row.id, nowIso(), step))) throw new AppError('mfa_already_enrolled');
    await replaceRecoveryCodes(
      trx,
      { workspaceId: agent.workspaceId, userId: agent.userId },
      recoveryCodes.map((c) => ({ id: randomUUID(), codeHash: hashRecoveryCode(c) })),
      nowIso(),
    );
    await recordAuditEvent(
      trx,
      { ...auditActor(ctx), action: 'mfa.totp.enrolled', target: { type: 'user', id: agent.userId } },
      ctx.log,
    );
    if (agent.stage !== 'enroll') return { recoveryCodes, agent, session: null };
    const next = await issueVerifiedSession({ ...ctx, db: trx });
    return { recoveryCodes, ...next };
  });
}
