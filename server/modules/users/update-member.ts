import type { MemberPatch } from '../../../protocol/users-api.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import type { Agent } from '../auth/agent.js';
import { announceEndedSessions, revokeAllSessions } from '../auth/end-session.js';
import { changeRole } from './change-role.js';
import { countActiveAdministrators, findMember, setDisabled } from './user.repository.js';

/**
 * Changes a member's role or disables/enables them. Either ends all their sessions at once, on every
 * node, so the change takes effect immediately: the next sign-in gets a new session with the new role.
 */
export async function updateMember(options: {
  db: Db;
  pubsub: PubSub;
  actor: Agent;
  userId: string;
  patch: MemberPatch;
  ip: string | null;
  log?: SecurityLogger;
}): Promise<void> {
  const { db, actor, patch } = options;
  if (options.userId === actor.userId) throw new AppError('cannot_change_self');
  const ended = await db.transaction().execute(async (trx) => {
    const member = await findMember(trx, actor.workspaceId, options.userId);
    if (!member) throw new AppError('user_not_found');
    const losesAdmin =
      member.role === 'administrator' &&
      !member.disabledAt &&
      ((patch.role && patch.role !== 'administrator') || patch.disabled === true);
    if (losesAdmin && (await countActiveAdministrators(trx, actor.workspaceId)) <= 1)
      throw new AppError('last_administrator');

    let endSessions = false;
    let roleEnded: string[] = [];
    const audit = (action: string, details?: Record<string, string>) =>
      recordAuditEvent(
        trx,
        {
          workspaceId: actor.workspaceId,
          actor: { type: 'user', id: actor.userId },
          action,
          target: { type: 'user', id: member.id },
          ip: options.ip,
          ...(details ? { details } : {}),
        },
        options.log,
      );
    if (patch.role && patch.role !== member.role)
      roleEnded = await changeRole({
        db: trx,
        workspaceId: actor.workspaceId,
        userId: member.id,
        from: member.role,
        to: patch.role,
        actor: { type: 'user', id: actor.userId },
        source: 'administrator',
        ip: options.ip,
        ...(options.log ? { log: options.log } : {}),
      });
    if (patch.disabled === true && !member.disabledAt) {
      await setDisabled(trx, member.id, nowIso());
      await audit('user.disabled');
      endSessions = true;
    } else if (patch.disabled === false && member.disabledAt) {
      await setDisabled(trx, member.id, null);
      await audit('user.enabled');
    }
    // A role change already ended the sessions; disabling ends any left.
    return endSessions
      ? [...roleEnded, ...(await revokeAllSessions({ db: trx, userId: member.id }))]
      : roleEnded;
  });
  await announceEndedSessions(options.pubsub, ended);
}
