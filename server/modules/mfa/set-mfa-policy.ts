import type { MfaPolicy } from '../../../protocol/mfa.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { CONTROL_CHANNEL } from '../auth/end-session.js';
import { auditActor, type FactorContext } from './factor-context.js';
import { coveredRoles, getMfaPolicy, policyCovers } from './mfa-policy.js';
import { downgradeSessionsWithoutMfa, saveMfaPolicy } from './mfa-policy.repository.js';
import { hasSecondFactor } from './user-factors.js';

/**
 * Sets who must use MFA. It applies at once: the live sessions of members it newly covers who have
 * no second factor are sent to enrollment, and their open sockets close on every node.
 */
export async function setMfaPolicy(
  ctx: Omit<FactorContext, 'userAgent'> & { policy: MfaPolicy },
): Promise<MfaPolicy> {
  const { agent, policy } = ctx;
  if (policyCovers(policy, agent.role) && !(await hasSecondFactor(ctx.db, agent.userId))) {
    throw new AppError('mfa_not_enrolled', {
      message:
        'This requirement would apply to you: set up two-factor authentication for your own account first.',
    });
  }
  const roles = [...new Set(policy.roles)];
  const downgraded = await ctx.db.transaction().execute(async (trx) => {
    const before = await getMfaPolicy(trx, agent.workspaceId);
    const at = nowIso();
    await saveMfaPolicy(trx, {
      workspace_id: agent.workspaceId,
      workspace_required: policy.workspace ? 1 : 0,
      required_roles: JSON.stringify(roles),
      updated_at: at,
    });
    await recordAuditEvent(
      trx,
      {
        ...auditActor(ctx),
        action: 'mfa.policy.changed',
        target: { type: 'workspace', id: agent.workspaceId },
        details: {
          workspace: policy.workspace,
          roles: roles.join(','),
          previousWorkspace: before.workspace,
          previousRoles: before.roles.join(','),
        },
      },
      ctx.log,
    );
    return downgradeSessionsWithoutMfa(trx, agent.workspaceId, coveredRoles(policy), at);
  });
  for (const sessionId of downgraded) {
    await ctx.pubsub.publish(CONTROL_CHANNEL, JSON.stringify({ kind: 'session.ended', sessionId }));
  }
  return getMfaPolicy(ctx.db, agent.workspaceId);
}
