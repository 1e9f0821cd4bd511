import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import type { Agent } from '../auth/agent.js';
import { announceEndedSessions, revokeAllSessions } from '../auth/end-session.js';
import { deleteSessionsOfUser } from '../auth/session-state.js';
import { countActiveAdministrators, deleteUser, findMember } from './user.repository.js';

/** Deletes a member's account. Their messages stay in conversations under the name they had. */
export async function deleteMember(options: {
  db: Db;
  pubsub: PubSub;
  actor: Agent;
  userId: string;
  ip: string | null;
  log?: SecurityLogger;
}): Promise<void> {
  const { db, actor } = options;
  if (options.userId === actor.userId) throw new AppError('cannot_change_self');
  const ended = await db.transaction().execute(async (trx) => {
    const member = await findMember(trx, actor.workspaceId, options.userId);
    if (!member) throw new AppError('user_not_found');
    if (
      member.role === 'administrator' &&
      !member.disabledAt &&
      (await countActiveAdministrators(trx, actor.workspaceId)) <= 1
    )
      throw new AppError('last_administrator');
    const ids = await revokeAllSessions({ db: trx, userId: member.id });
    await deleteSessionsOfUser(trx, member.id);
    await deleteUser(trx, member.id);
    await recordAuditEvent(
      trx,
      {
        workspaceId: actor.workspaceId,
        actor: { type: 'user', id: actor.userId },
        action: 'user.deleted',
        target: { type: 'user', id: member.id },
        ip: options.ip,
        details: { role: member.role },
      },
      options.log,
    );
    return ids;
  });
  await announceEndedSessions(options.pubsub, ended);
}
