import { AppError } from '../../errors.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { auditActor, type FactorContext } from './factor-context.js';
import { assertNotLastRequiredFactor } from './factor-guards.js';
import { deleteRecoveryCodes } from './recovery-code.repository.js';
import { requireRecentVerification } from './require-recent-verification.js';
import { deleteTotp, findTotp } from './totp.repository.js';

/** Turns TOTP off (and its recovery codes with it), given a current code or a recent second factor. */
export async function removeTotp(ctx: FactorContext & { code?: string | undefined }): Promise<void> {
  const { agent } = ctx;
  if (!(await findTotp(ctx.db, agent.userId))?.confirmed_at) throw new AppError('mfa_not_enrolled');
  await requireRecentVerification(ctx);
  await assertNotLastRequiredFactor(ctx.db, agent, { totp: true });
  await ctx.db.transaction().execute(async (trx) => {
    await deleteTotp(trx, agent.userId);
    await deleteRecoveryCodes(trx, agent.userId);
    await recordAuditEvent(
      trx,
      { ...auditActor(ctx), action: 'mfa.totp.removed', target: { type: 'user', id: agent.userId } },
      ctx.log,
    );
  });
}
