import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { hashSecret } from '../../platform/crypto/tokens.js';
import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import { setPasswordHash } from '../users/set-password-hash.js';
import { announceEndedSessions, revokeAllSessions } from './end-session.js';
import { checkPasswordPolicy } from './password-policy.js';
import { claimPasswordReset, expireOpenResets, findOpenPasswordReset } from './password-reset.repository.js';
import { hashPassword } from './passwords.js';
import { assertNotThrottled, recordFailure, recordSuccess, throttleKeys } from './throttle.js';

/** Sets a new password from a reset link (single use, 30 minutes) and ends every session of the user. */
export async function completePasswordReset(options: {
  db: Db;
  pubsub: PubSub;
  config: Pick<Config, 'passwordMinLength'>;
  token: string;
  password: string;
  ip: string | null;
  log?: SecurityLogger;
}): Promise<void> {
  const { db } = options;
  const keys = throttleKeys('reset-complete', null, options.ip);
  await assertNotThrottled(db, keys);
  const tokenHash = hashSecret(options.token);
  const open = await findOpenPasswordReset(db, tokenHash, nowIso());
  if (!open) {
    await recordFailure(db, keys);
    throw new AppError('reset_token_invalid');
  }
  checkPasswordPolicy(options.password, {
    minLength: options.config.passwordMinLength,
    email: open.email,
    name: open.name,
  });
  const hash = await hashPassword(options.password);
  const ended = await db.transaction().execute(async (trx) => {
    const reset = await claimPasswordReset(trx, tokenHash, nowIso());
    if (!reset) throw new AppError('reset_token_invalid');
    await setPasswordHash(trx, reset.user_id, hash);
    await expireOpenResets(trx, reset.user_id, nowIso());
    const sessionIds = await revokeAllSessions({ db: trx, userId: reset.user_id });
    await recordAuditEvent(
      trx,
      {
        workspaceId: reset.workspace_id,
        actor: { type: 'user', id: reset.user_id },
        action: 'user.password.reset',
        target: { type: 'user', id: reset.user_id },
        ip: options.ip,
        details: { sessionsEnded: sessionIds.length },
      },
      options.log,
    );
    return sessionIds;
  });
  // The owner proved control of the mailbox: the sign-in lockout on the account no longer applies.
  await recordSuccess(db, throttleKeys('login', open.email, null));
  await announceEndedSessions(options.pubsub, ended);
}
