import { randomUUID } from 'node:crypto';
import type { Role } from '../../../protocol/common.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import {
  findMembership,
  findUserByEmail,
  insertMembership,
  insertUser,
  normalizeEmail,
} from './user.repository.js';

/**
 * Not an argon2 hash, so no password ever matches it. A directory account signs in only through its
 * directory (directory/sign-in-with-directory.ts), which never looks at a local password.
 */
export const DIRECTORY_PASSWORD_HASH = '!directory';

/**
 * The account of a person the company directory vouched for, made on their first sign-in (just in
 * time); `previousRole` says the groups now map to another role, which the caller applies
 * through changeRole. The caller owns the transaction.
 * An email already taken in another workspace is refused: one address is one account.
 */
export async function provisionDirectoryUser(options: {
  db: Executor;
  workspaceId: string;
  email: string;
  name: string;
  role: Role;
}): Promise<{ userId: string; created: boolean; previousRole: Role | null; disabled: boolean }> {
  const { db } = options;
  const email = normalizeEmail(options.email);
  const existing = await findUserByEmail(db, email);
  if (existing) {
    if (existing.workspace_id !== options.workspaceId) throw new AppError('email_taken');
    const membership = await findMembership(db, options.workspaceId, existing.id);
    if (!membership) throw new AppError('email_taken');
    // A changed role is the caller's to apply (users/change-role.ts): audited, sessions ended.
    return {
      userId: existing.id,
      created: false,
      previousRole: membership.role === options.role ? null : membership.role,
      disabled: existing.disabled_at !== null,
    };
  }
  const at = nowIso();
  const id = randomUUID();
  await insertUser(db, {
    id,
    workspace_id: options.workspaceId,
    email,
    name: (options.name.trim() || email).slice(0, 200),
    password_hash: DIRECTORY_PASSWORD_HASH,
    disabled_at: null,
    created_at: at,
  });
  await insertMembership(db, {
    id: randomUUID(),
    workspace_id: options.workspaceId,
    user_id: id,
    role: options.role,
    created_at: at,
  });
  return { userId: id, created: true, previousRole: null, disabled: false };
}
