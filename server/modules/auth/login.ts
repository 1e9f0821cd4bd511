import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import { signInWithDirectory } from '../directory/sign-in-with-directory.js';
import { signInStage } from '../mfa/sign-in-stage.js';
import { passwordSignIn } from '../sso/sso-only.js';
import { findMembership, findUserByEmail, normalizeEmail } from '../users/lookups.js';
import type { Agent } from './agent.js';
import { createSession } from './create-session.js';
import { announceEndedSessions } from './end-session.js';
import { burnPasswordCheck, verifyPassword } from './passwords.js';
import { assertNotThrottled, recordFailure, recordSuccess, throttleKeys } from './throttle.js';

/**
 * Email + password sign-in. The answer and its timing are the same whether or not the account
 * exists, and repeated failures are slowed down, then locked out, per account and per address.
 */
export async function login(options: {
  db: Db;
  config: Pick<Config, 'sessionAbsoluteMs' | 'directory'>;
  /** Opens a directory's search password; sign-in through a directory needs it. */
  ring: KeyRing;
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  log?: SecurityLogger;
  /** Sessions a directory's changed role ended close on every node through it. */
  pubsub?: PubSub;
}): Promise<{ agent: Agent; session: Awaited<ReturnType<typeof createSession>> }> {
  const { db } = options;
  const email = normalizeEmail(options.email);
  const keys = throttleKeys('login', email, options.ip);
  await assertNotThrottled(db, keys);
  // Emails at a domain a workspace's directory claims are judged by that directory (same throttle).
  const viaDirectory = await signInWithDirectory({ ...options, email });
  if (viaDirectory.kind === 'refused') {
    if (viaDirectory.code !== 'directory_unavailable') await recordFailure(db, keys);
    throw new AppError(viaDirectory.code);
  }
  if (viaDirectory.kind === 'accepted' && options.pubsub)
    await announceEndedSessions(options.pubsub, viaDirectory.ended);
  const user = await findUserByEmail(db, email);
  const ok =
    viaDirectory.kind === 'accepted'
      ? user?.id === viaDirectory.userId
      : user
        ? await verifyPassword(user.password_hash, options.password)
        : await burnPasswordCheck(options.password).then(() => false);
  const membership = user && ok ? await findMembership(db, user.workspace_id, user.id) : undefined;
  if (!user || !ok || !membership) {
    await recordFailure(db, keys);
    if (user) {
      await recordAuditEvent(
        db,
        {
          workspaceId: user.workspace_id,
          actor: { type: 'user', id: user.id },
          action: 'auth.login.failed',
          ip: options.ip,
        },
        options.log,
      );
    } else {
      options.log?.info({ security: true, event: 'auth.login.failed', ip: options.ip }, 'sign-in failed');
    }
    throw new AppError('invalid_credentials');
  }
  if (user.disabled_at) throw new AppError('account_disabled');
  // Only after a correct password, so the answer says nothing about accounts a guesser does not own.
  // "SSO only" turns Parley's own passwords off; a directory's sign-in is the company's, and stays.
  const path =
    viaDirectory.kind === 'accepted'
      ? 'allowed'
      : await passwordSignIn(db, { userId: user.id, workspaceId: user.workspace_id });
  if (path === 'off') {
    await recordAuditEvent(
      db,
      {
        workspaceId: user.workspace_id,
        actor: { type: 'user', id: user.id },
        action: 'auth.login.password_off',
        ip: options.ip,
      },
      options.log,
    );
    throw new AppError('password_sign_in_off');
  }
  await recordSuccess(db, keys);
  // A second factor or MFA enrollment may still stand between the password and the workspace.
  const stage = await signInStage(db, {
    userId: user.id,
    workspaceId: user.workspace_id,
    role: membership.role,
  });
  const session = await createSession({
    db,
    config: options.config,
    workspaceId: user.workspace_id,
    userId: user.id,
    ip: options.ip,
    userAgent: options.userAgent,
    stage,
  });
  await recordAuditEvent(
    db,
    {
      workspaceId: user.workspace_id,
      actor: { type: 'user', id: user.id },
      action: 'auth.login.succeeded',
      target: { type: 'session', id: session.id },
      ip: options.ip,
      details: {
        method: viaDirectory.kind === 'accepted' ? 'directory' : 'password',
        stage,
        breakGlass: path === 'break-glass',
      },
    },
    options.log,
  );
  if (path === 'break-glass')
    // Passwords are off for everyone else: this way in is worth an entry of its own (and an alert rule).
    await recordAuditEvent(
      db,
      {
        workspaceId: user.workspace_id,
        actor: { type: 'user', id: user.id },
        action: 'auth.login.break_glass',
        target: { type: 'session', id: session.id },
        ip: options.ip,
      },
      options.log,
    );
  return {
    agent: {
      userId: user.id,
      sessionId: session.id,
      workspaceId: user.workspace_id,
      role: membership.role,
      name: user.name,
      email: user.email,
      stage,
    },
    session,
  };
}
