import type { PasskeyAssertionBody } from '../../../protocol/mfa.js';
import { AppError } from '../../errors.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import type { Agent } from '../auth/agent.js';
import type { FactorContext } from '../mfa/factor-context.js';
import { issueVerifiedSession } from '../mfa/issue-verified-session.js';
import { findPasskeyByCredentialId, findPasskeyOwner } from './passkey.repository.js';
import { verifyPasskeyAssertion } from './verify-passkey-assertion.js';
import { takeChallenge } from './webauthn-challenges.js';

/**
 * Passwordless sign-in: a verified passkey assertion (with user verification) gives a complete
 * session directly. Every failure answers the same `passkey_invalid`.
 */
export async function finishPasskeySignIn(
  options: Omit<FactorContext, 'agent'> & { body: PasskeyAssertionBody; log?: SecurityLogger },
) {
  const { db, body } = options;
  const challenge = await takeChallenge(db, body.response.response.clientDataJSON, {
    purpose: 'sign-in',
    sessionId: null,
  });
  const passkey = await findPasskeyByCredentialId(db, body.response.id);
  if (!passkey) throw new AppError('passkey_invalid');
  const owner = await findPasskeyOwner(db, passkey.id);
  if (!owner) throw new AppError('passkey_invalid');
  const ok = await verifyPasskeyAssertion({
    db,
    config: options.config,
    passkey,
    response: body.response,
    challenge,
    requireUserVerification: true,
  });
  const audit = {
    workspaceId: owner.workspaceId,
    actor: { type: 'user' as const, id: owner.userId },
    target: { type: 'passkey', id: passkey.id },
    ip: options.ip,
  };
  if (!ok) {
    await recordAuditEvent(db, { ...audit, action: 'auth.passkey_sign_in.failed' }, options.log);
    throw new AppError('passkey_invalid');
  }
  if (owner.disabledAt) throw new AppError('account_disabled');
  const agent: Omit<Agent, 'sessionId' | 'stage'> & { sessionId: null } = {
    userId: owner.userId,
    workspaceId: owner.workspaceId,
    role: owner.role,
    name: owner.name,
    email: owner.email,
    sessionId: null,
  };
  return db.transaction().execute(async (trx) => {
    await recordAuditEvent(trx, { ...audit, action: 'auth.passkey_sign_in.succeeded' }, options.log);
    return issueVerifiedSession({ ...options, db: trx, agent });
  });
}
