import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { publishConversationUpdated } from '../conversations/events.js';
import { unrouteWidgetsOfTeam } from '../widgets/route-widget.js';
import { announceScopeChange } from './announce-scope-change.js';
import { routeQueue, type ServiceDeps } from './publish-query.js';
import { releaseOpenQueriesOfTeam } from './query.repository.js';
import {
  deleteTeam as deleteTeamRow,
  findMembersOfTeam,
  findTeam,
  replaceTeamMembers,
} from './team.repository.js';

/**
 * Deletes a team without stranding anyone: its widgets route to anyone again and its open queries
 * move to everyone's queue (an operator sees a queued query only for their own teams or for none, so a
 * query left with a deleted team would reach supervisors only). Past queries keep the team's id.
 */
export async function deleteTeam(
  deps: ServiceDeps,
  options: { workspaceId: string; teamId: string },
): Promise<void> {
  const { workspaceId, teamId } = options;
  const released = await deps.db.transaction().execute(async (trx) => {
    if (!(await findTeam(trx, workspaceId, teamId))) throw new AppError('team_not_found');
    const at = nowIso();
    const freed = await releaseOpenQueriesOfTeam(trx, workspaceId, teamId, at);
    const members = await findMembersOfTeam(trx, teamId);
    await unrouteWidgetsOfTeam(trx, workspaceId, teamId);
    await replaceTeamMembers(trx, { id: teamId, workspaceId }, [], at);
    await deleteTeamRow(trx, workspaceId, teamId);
    return { freed, members };
  });
  await announceScopeChange(deps.pubsub, released.members);
  for (const conversationId of released.freed)
    await publishConversationUpdated({
      ...deps,
      workspaceId,
      conversationId,
      formerAssigneeId: null,
      scopeChanged: true,
    });
  // Operators outside the team may now take those queries.
  await routeQueue(deps, workspaceId);
}
