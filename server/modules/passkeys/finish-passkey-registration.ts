import { randomUUID } from 'node:crypto';
import { verifyRegistrationResponse } from '@simplewebauthn/server';
import type { Passkey, PasskeyRegistrationBody } from '../../../protocol/mfa.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { Agent } from '../auth/agent.js';
import type { createSession } from '../auth/create-session.js';
import { auditActor, type FactorContext } from '../mfa/factor-context.js';
import { assertMayChangeFactors } from '../mfa/factor-guards.js';
import { issueVerifiedSession } from '../mfa/issue-verified-session.js';
import { presentPasskey } from './passkey.presenter.js';
import { findPasskeyByCredentialId, insertPasskey } from './passkey.repository.js';
import { relyingParty } from './relying-party.js';
import { takeChallenge } from './webauthn-challenges.js';

/**
 * Verifies the browser's attestation against the challenge this session was given and stores the
 * passkey. A session held at MFA enrollment is replaced by a complete one: a passkey counts as MFA.
 */
export async function finishPasskeyRegistration(
  ctx: FactorContext & { body: PasskeyRegistrationBody },
): Promise<{ passkey: Passkey; agent: Agent; session: Awaited<ReturnType<typeof createSession>> | null }> {
  const { agent, body } = ctx;
  assertMayChangeFactors(agent);
  const challenge = await takeChallenge(ctx.db, body.response.response.clientDataJSON, {
    purpose: 'register',
    sessionId: agent.sessionId,
  });
  const rp = relyingParty(ctx.config);
  const result = await verifyRegistrationResponse({
    response: body.response,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: false,
  }).catch(() => null);
  if (!result?.verified) throw new AppError('passkey_invalid');
  const { credential, credentialDeviceType, credentialBackedUp } = result.registrationInfo;
  if (await findPasskeyByCredentialId(ctx.db, credential.id)) {
    throw new AppError('passkey_invalid', { message: 'This passkey is already registered.' });
  }
  const at = nowIso();
  const row = {
    id: randomUUID(),
    workspace_id: agent.workspaceId,
    user_id: agent.userId,
    credential_id: credential.id,
    public_key: Buffer.from(credential.publicKey).toString('base64url'),
    counter: credential.counter,
    transports: JSON.stringify(credential.transports ?? []),
    device_type: credentialDeviceType,
    backed_up: credentialBackedUp ? 1 : 0,
    name: body.name.trim() || 'Passkey',
    created_at: at,
    last_used_at: null,
  };
  return ctx.db.transaction().execute(async (trx) => {
    await insertPasskey(trx, row);
    await recordAuditEvent(
      trx,
      { ...auditActor(ctx), action: 'passkey.added', target: { type: 'passkey', id: row.id } },
      ctx.log,
    );
    const passkey = presentPasskey(row);
    if (agent.stage !== 'enroll') return { passkey, agent, session: null };
    return { passkey, ...(await issueVerifiedSession({ ...ctx, db: trx })) };
  });
}
