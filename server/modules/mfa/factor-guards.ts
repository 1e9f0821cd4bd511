import { AppError } from '../../errors.js';
import type { Executor } from '../../platform/db/schema.js';
import type { Agent } from '../auth/agent.js';
import { isMfaRequired } from './mfa-policy.js';
import { userFactors } from './user-factors.js';

/**
 * A session that still owes its second factor must not add or change factors: that would let a
 * password alone replace the second factor.
 */
export function assertMayChangeFactors(agent: Agent): void {
  if (agent.stage === 'mfa') throw new AppError('mfa_required');
}

/** Refuses to remove the user's last second factor while the workspace requires MFA for them. */
export async function assertNotLastRequiredFactor(
  db: Executor,
  agent: Agent,
  removing: { totp?: boolean; passkeys?: number },
): Promise<void> {
  if (!(await isMfaRequired(db, agent.workspaceId, agent.role))) return;
  const f = await userFactors(db, agent.userId);
  const left = (f.totp && !removing.totp ? 1 : 0) + f.passkeys - (removing.passkeys ?? 0);
  if (left <= 0) {
    throw new AppError('forbidden', {
      message:
        'Your workspace requires two-factor authentication: add another method before removing this one.',
    });
  }
}
