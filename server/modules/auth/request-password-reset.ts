import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.js';
import { isoFromNow, nowIso } from '../../platform/clock.js';
import { hashSecret, newSecret } from '../../platform/crypto/tokens.js';
import type { Db } from '../../platform/db/schema.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { passwordSignIn } from '../sso/sso-only.js';
import { findUserByEmail, normalizeEmail } from '../users/lookups.js';
import { expireOpenResets, insertPasswordReset } from './password-reset.repository.js';
import { assertNotThrottled, recordFailure, throttleKeys } from './throttle.js';

export const RESET_TTL_MS = 30 * 60_000;

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * "Forgot password". The caller always gets the same answer at the same speed: the lookup, the link
 * and the mail happen after the response, so neither body, status nor timing says whether the
 * address has an account. Requests count against the same per-account and per-address throttle.
 */
export async function requestPasswordReset(options: {
  db: Db;
  mailer: Mailer;
  config: Pick<Config, 'publicUrl'>;
  email: string;
  ip: string | null;
  log: Log;
}): Promise<{ completion: Promise<void> }> {
  const { db } = options;
  const email = normalizeEmail(options.email);
  const keys = throttleKeys('reset', email, options.ip);
  await assertNotThrottled(db, keys);
  await recordFailure(db, keys);
  const completion = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => sendResetLink({ ...options, email }))
    .catch((err: unknown) =>
      options.log.warn({ err: (err as Error).message }, 'password reset mail not sent'),
    );
  return { completion };
}

async function sendResetLink(options: {
  db: Db;
  mailer: Mailer;
  config: Pick<Config, 'publicUrl'>;
  email: string;
  ip: string | null;
  log: Log;
}): Promise<void> {
  const { db } = options;
  const user = await findUserByEmail(db, options.email);
  if (!user || user.disabled_at) return;
  // With SSO-only on, a reset password could not sign in anyway: no mail (the break-glass account still gets one).
  if ((await passwordSignIn(db, { userId: user.id, workspaceId: user.workspace_id })) === 'off') return;
  const token = newSecret();
  const row = {
    id: randomUUID(),
    workspace_id: user.workspace_id,
    user_id: user.id,
    token_hash: hashSecret(token),
    created_at: nowIso(),
    expires_at: isoFromNow(RESET_TTL_MS),
    used_at: null,
  };
  await db.transaction().execute(async (trx) => {
    await expireOpenResets(trx, user.id, row.created_at);
    await insertPasswordReset(trx, row);
    await recordAuditEvent(
      trx,
      {
        workspaceId: user.workspace_id,
        actor: { type: 'user', id: user.id },
        action: 'user.password.reset_requested',
        target: { type: 'user', id: user.id },
        ip: options.ip,
      },
      options.log,
    );
  });
  await options.mailer.send({
    workspaceId: user.workspace_id,
    to: user.email,
    subject: 'Reset your Parley password',
    text: [
      'Someone asked to reset the password of your Parley account.',
      '',
      'Open this link to choose a new password. It works once and expires in 30 minutes:',
      '',
      `${options.config.publicUrl}/reset-password#token=${token}`,
      '',
      'Choosing a new password signs you out everywhere. If you did not ask for this, ignore this message.',
    ].join('\n'),
    kind: 'password_reset',
    expiresAt: row.expires_at,
  });
}
