import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { hashSecret } from '../../platform/crypto/tokens.js';
import type { Db } from '../../platform/db/schema.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import type { Agent } from '../auth/agent.js';
import { createSession } from '../auth/create-session.js';
import { checkPasswordPolicy } from '../auth/password-policy.js';
import { assertNotThrottled, recordFailure, throttleKeys } from '../auth/throttle.js';
import { createUser } from './create-user.js';
import { claimInvite, findOpenInvite } from './invite.repository.js';

/** Turns an invitation into an account and signs it in. Each link works once, for 72 hours. */
export async function acceptInvite(options: {
  db: Db;
  config: Pick<Config, 'passwordMinLength' | 'sessionAbsoluteMs'>;
  token: string;
  name: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  log?: SecurityLogger;
}): Promise<{ agent: Agent; session: Awaited<ReturnType<typeof createSession>> }> {
  const { db, config } = options;
  const keys = throttleKeys('invite', null, options.ip);
  await assertNotThrottled(db, keys);
  const tokenHash = hashSecret(options.token);
  const open = await findOpenInvite(db, tokenHash, nowIso());
  if (!open) {
    await recordFailure(db, keys);
    throw new AppError('invite_invalid');
  }
  checkPasswordPolicy(options.password, {
    minLength: config.passwordMinLength,
    email: open.email,
    name: options.name,
  });
  return db.transaction().execute(async (trx) => {
    const invite = await claimInvite(trx, tokenHash, nowIso());
    if (!invite) throw new AppError('invite_invalid');
    const user = await createUser({
      db: trx,
      config,
      workspaceId: invite.workspace_id,
      email: invite.email,
      name: options.name,
      password: options.password,
      role: invite.role,
    });
    const session = await createSession({
      db: trx,
      config,
      workspaceId: invite.workspace_id,
      userId: user.id,
      ip: options.ip,
      userAgent: options.userAgent,
    });
    await recordAuditEvent(
      trx,
      {
        workspaceId: invite.workspace_id,
        actor: { type: 'user', id: user.id },
        action: 'user.invite.accepted',
        target: { type: 'invite', id: invite.id },
        ip: options.ip,
        details: { role: invite.role },
      },
      options.log,
    );
    const agent: Agent = {
      userId: user.id,
      sessionId: session.id,
      workspaceId: invite.workspace_id,
      role: invite.role,
      name: user.name,
      email: user.email,
      stage: 'full',
    };
    return { agent, session };
  });
}
