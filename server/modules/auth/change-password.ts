import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import { findUserById } from '../users/lookups.js';
import { setPasswordHash } from '../users/set-password-hash.js';
import type { Agent } from './agent.js';
import { announceEndedSessions, revokeAllSessions } from './end-session.js';
import { checkPasswordPolicy } from './password-policy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { assertNotThrottled, recordFailure, recordSuccess, throttleKeys } from './throttle.js';

/** Changes the signed-in user's password; needs the current one. Other sessions end. */
export async function changePassword(options: {
  db: Db;
  pubsub: PubSub;
  config: Pick<Config, 'passwordMinLength'>;
  agent: Agent;
  currentPassword: string;
  newPassword: string;
  ip: string | null;
  log?: SecurityLogger;
}): Promise<void> {
  const { db, agent } = options;
  const keys = throttleKeys('password-change', agent.email, options.ip);
  await assertNotThrottled(db, keys);
  const user = await findUserById(db, agent.userId);
  if (!user) throw new AppError('unauthenticated');
  if (!(await verifyPassword(user.password_hash, options.currentPassword))) {
    await recordFailure(db, keys);
    throw new AppError('password_incorrect');
  }
  await recordSuccess(db, keys);
  checkPasswordPolicy(options.newPassword, {
    minLength: options.config.passwordMinLength,
    email: user.email,
    name: user.name,
  });
  const hash = await hashPassword(options.newPassword);
  const ended = await db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, user.id, hash);
    const ids = await revokeAllSessions({ db: trx, userId: user.id, keep: agent.sessionId });
    await recordAuditEvent(
      trx,
      {
        workspaceId: agent.workspaceId,
        actor: { type: 'user', id: user.id },
        action: 'user.password.changed',
        target: { type: 'user', id: user.id },
        ip: options.ip,
        details: { sessionsEnded: ids.length },
      },
      options.log,
    );
    return ids;
  });
  await announceEndedSessions(options.pubsub, ended);
}
