import { randomUUID } from 'node:crypto';
import type { Role } from '../../../protocol/common.js';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import { checkPasswordPolicy } from '../auth/password-policy.js';
import { hashPassword } from '../auth/passwords.js';
import { findUserByEmail, insertMembership, insertUser, normalizeEmail } from './user.repository.js';

/** Creates a user with a membership. The caller owns the transaction. */
export async function createUser(options: {
  db: Executor;
  config: Pick<Config, 'passwordMinLength'>;
  workspaceId: string;
  email: string;
  name: string;
  password: string;
  role: Role;
}) {
  const { db, config } = options;
  const email = normalizeEmail(options.email);
  checkPasswordPolicy(options.password, {
    minLength: config.passwordMinLength,
    email,
    name: options.name,
  });
  if (await findUserByEmail(db, email)) throw new AppError('email_taken');
  const at = nowIso();
  const user = {
    id: randomUUID(),
    workspace_id: options.workspaceId,
    email,
    name: options.name.trim(),
    password_hash: await hashPassword(options.password),
    disabled_at: null,
    created_at: at,
  };
  await insertUser(db, user);
  await insertMembership(db, {
    id: randomUUID(),
    workspace_id: options.workspaceId,
    user_id: user.id,
    role: options.role,
    created_at: at,
  });
  return user;
}
