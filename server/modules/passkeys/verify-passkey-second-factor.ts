import type { PasskeyAssertionBody } from '../../../protocol/mfa.js';
import { AppError } from '../../errors.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { auditActor, type FactorContext } from '../mfa/factor-context.js';
import { issueVerifiedSession } from '../mfa/issue-verified-session.js';
import { countSecondFactorAttempt, secondFactorFailed } from '../mfa/second-factor-attempts.js';
import { findPasskeyByCredentialId } from './passkey.repository.js';
import { verifyPasskeyAssertion } from './verify-passkey-assertion.js';
import { takeChallenge } from './webauthn-challenges.js';

/** The second factor by passkey; like a code, it replaces the session with a new, complete one. */
export async function verifyPasskeySecondFactor(ctx: FactorContext & { body: PasskeyAssertionBody }) {
  const { agent, body } = ctx;
  if (agent.stage === 'enroll') throw new AppError('mfa_enrollment_required');
  const challenge = await takeChallenge(ctx.db, body.response.response.clientDataJSON, {
    purpose: 'second-factor',
    sessionId: agent.sessionId,
  });
  await countSecondFactorAttempt(ctx);
  const passkey = await findPasskeyByCredentialId(ctx.db, body.response.id);
  const ok =
    passkey?.user_id === agent.userId &&
    (await verifyPasskeyAssertion({
      db: ctx.db,
      config: ctx.config,
      passkey,
      response: body.response,
      challenge,
      requireUserVerification: false,
    }));
  if (!ok || !passkey) return secondFactorFailed(ctx, 'passkey', 'passkey_invalid');
  return ctx.db.transaction().execute(async (trx) => {
    await recordAuditEvent(
      trx,
      {
        ...auditActor(ctx),
        action: 'auth.second_factor.succeeded',
        target: { type: 'passkey', id: passkey.id },
        details: { method: 'passkey', stepUp: agent.stage === 'full' },
      },
      ctx.log,
    );
    return issueVerifiedSession({ ...ctx, db: trx });
  });
}
