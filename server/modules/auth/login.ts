import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import { signInStage } from '../mfa/sign-in-stage.js';
import { findMembership, findUserByEmail, normalizeEmail } from '../users/user.repository.js';
import type { Agent } from './agent.js';
import { createSession } from './create-session.js';
import { burnPasswordCheck, verifyPassword } from './passwords.js';

/** Email + password sign-in. The answer and its timing are the same whether or not the account exists. */
export async function login(options: {
  db: Db;
  config: Pick<Config, 'sessionAbsoluteMs'>;
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}): Promise<{ agent: Agent; session: Awaited<ReturnType<typeof createSession>> }> {
  const { db } = options;
  const user = await findUserByEmail(db, normalizeEmail(options.email));
  if (!user) {
    await burnPasswordCheck(options.password);
    throw new AppError('invalid_credentials');
  }
  if (!(await verifyPassword(user.password_hash, options.password)))
    throw new AppError('invalid_credentials');
  if (user.disabled_at) throw new AppError('account_disabled');
  const membership = await findMembership(db, user.workspace_id, user.id);
  if (!membership) throw new AppError('invalid_credentials');
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
