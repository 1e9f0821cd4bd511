import { AppError } from '../../errors.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { auditActor, type FactorContext } from '../mfa/factor-context.js';
import { assertNotLastRequiredFactor } from '../mfa/factor-guards.js';
import { requireRecentVerification } from '../mfa/require-recent-verification.js';
import { deleteUserPasskey, findUserPasskey } from './passkey.repository.js';

/** Removes one of the user's passkeys, given a current TOTP code or a recent second factor. */
export async function removePasskey(
  ctx: FactorContext & { passkeyId: string; code?: string | undefined },
): Promise<void> {
  const { agent } = ctx;
  if (!(await findUserPasskey(ctx.db, agent.userId, ctx.passkeyId))) throw new AppError('not_found');
  await requireRecentVerification(ctx);
  await assertNotLastRequiredFactor(ctx.db, agent, { passkeys: 1 });
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await deleteUserPasskey(trx, agent.userId, ctx.passkeyId))) throw new AppError('not_found');
    await recordAuditEvent(
      trx,
      { ...auditActor(ctx), action: 'passkey.removed', target: { type: 'passkey', id: ctx.passkeyId } },
      ctx.log,
    );
  });
}
