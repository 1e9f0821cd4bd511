import type { Role } from '../../../protocol/common.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { addNote } from '../conversations/add-note.js';
import type { Vault } from '../encryption/vault.js';
import { assignQuery } from './assign-query.js';
import { findQuery, insertQueryEvent, moveQuery, OPEN_STATES } from './query.repository.js';
import { findTeam } from './team.repository.js';

/**
 * Hands a query on: to another agent (assigned to them at once, capacity not enforced: a person chose
 * them) or to a team (queued there). Only the assignee may transfer their query; `supervises` lets a
 * supervisor reassign anyone's. The note becomes a private note on the conversation.
 */
export async function transferQuery(options: {
  db: Db;
  vault: Vault;
  workspaceId: string;
  queryId: string;
  actor: { userId: string; name: string; supervises: boolean };
  to: { userId: string; role: Role } | { teamId: string };
  note?: string;
}): Promise<{ conversationId: string; formerAssigneeId: string | null }> {
  const { db, workspaceId, actor } = options;
  const query = await findQuery(db, workspaceId, options.queryId);
  if (!query) throw new AppError('query_not_found');
  if (!actor.supervises && query.assignee_id !== actor.userId) throw new AppError('query_not_found');
  if (!OPEN_STATES.includes(query.state)) throw new AppError('query_closed');
  const fromAssignee = actor.supervises ? undefined : actor.userId;
  if ('userId' in options.to) {
    const outcome = await assignQuery({
      db,
      workspaceId,
      queryId: query.id,
      userId: options.to.userId,
      role: options.to.role,
      actorId: actor.userId,
      mode: 'transfer',
      ...(fromAssignee ? { fromAssignee } : {}),
      enforceCapacity: false,
    });
    if (outcome !== 'assigned') throw new AppError('query_taken');
  } else {
    const teamId = options.to.teamId;
    if (!(await findTeam(db, workspaceId, teamId))) throw new AppError('team_not_found');
    const at = nowIso();
    await db.transaction().execute(async (trx) => {
      const moved = await moveQuery(trx, {
        id: query.id,
        from: OPEN_STATES,
        ...(fromAssignee ? { fromAssignee } : {}),
        set: { state: 'queued', assignee_id: null, team_id: teamId, updated_at: at },
      });
      if (!moved) throw new AppError('query_taken');
      await insertQueryEvent(trx, {
        workspace_id: workspaceId,
        query_id: query.id,
        kind: 'transferred',
        from_state: query.state,
        to_state: 'queued',
        actor_id: actor.userId,
        team_id: teamId,
        occurred_at: at,
      });
    });
  }
  if (options.note?.trim())
    await addNote({
      db,
      vault: options.vault,
      workspaceId,
      conversationId: query.conversation_id,
      author: { id: actor.userId, name: actor.name },
      body: options.note,
    });
  return { conversationId: query.conversation_id, formerAssigneeId: query.assignee_id };
}
