import { AppError } from '../../errors.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { auditActor, type FactorContext } from '../mfa/factor-context.js';
import { presentPasskey } from './passkey.presenter.js';
import { findUserPasskey, renameUserPasskey } from './passkey.repository.js';

/** Only the owner can rename a passkey; anyone else's answers like one that does not exist. */
export async function renamePasskey(ctx: FactorContext & { passkeyId: string; name: string }) {
  const { agent } = ctx;
  const name = ctx.name.trim();
  if (!name) throw new AppError('invalid_request', { details: ['body/name: must not be blank'] });
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await renameUserPasskey(trx, agent.userId, ctx.passkeyId, name))) throw new AppError('not_found');
    await recordAuditEvent(
      trx,
      { ...auditActor(ctx), action: 'passkey.renamed', target: { type: 'passkey', id: ctx.passkeyId } },
      ctx.log,
    );
    const row = await findUserPasskey(trx, agent.userId, ctx.passkeyId);
    if (!row) throw new AppError('not_found');
    return presentPasskey(row);
  });
}
