import type { Role } from '../../../protocol/common.js';
import type { Executor, SessionStage } from '../../platform/db/schema.js';
import { isMfaRequired } from './mfa-policy.js';
import { hasSecondFactor } from './user-factors.js';

/**
 * Where a correct password leads: to the second factor if the user has one, to MFA setup if the
 * workspace requires MFA for them, otherwise straight in.
 */
export async function signInStage(
  db: Executor,
  user: { userId: string; workspaceId: string; role: Role },
): Promise<SessionStage> {
  if (await hasSecondFactor(db, user.userId)) return 'mfa';
  if (await isMfaRequired(db, user.workspaceId, user.role)) return 'enroll';
  return 'full';
}
