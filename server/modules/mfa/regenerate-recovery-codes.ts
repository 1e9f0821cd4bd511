import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { auditActor, type FactorContext } from './factor-context.js';
import { replaceRecoveryCodes } from './recovery-code.repository.js';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes.js';
import { requireRecentVerification } from './require-recent-verification.js';
import { findTotp } from './totp.repository.js';

/** Ten new recovery codes, returned once; every earlier code stops working. */
export async function regenerateRecoveryCodes(
  ctx: FactorContext & { code?: string | undefined },
): Promise<string[]> {
  const { agent } = ctx;
  if (!(await findTotp(ctx.db, agent.userId))?.confirmed_at) throw new AppError('mfa_not_enrolled');
  await requireRecentVerification(ctx);
  const codes = newRecoveryCodes();
  await ctx.db.transaction().execute(async (trx) => {
    await replaceRecoveryCodes(
      trx,
      { workspaceId: agent.workspaceId, userId: agent.userId },
      codes.map((c) => ({ id: randomUUID(), codeHash: hashRecoveryCode(c) })),
      nowIso(),
    );
    await recordAuditEvent(
      trx,
      {
        ...auditActor(ctx),
        action: 'mfa.recovery_codes.regenerated',
        target: { type: 'user', id: agent.userId },
      },
      ctx.log,
    );
  });
  return codes;
}
