import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { announceScopeChange } from './announce-scope-change.js';
import { filterMembers, findMembersOfTeam, findTeam, replaceTeamMembers } from './team.repository.js';

/**
 * Replaces a team's members. Whoever joined or left sees a different queue from now on: operators
 * see the queries queued for their teams, so their open sockets are told to re-read their scope.
 */
export async function setTeamMembers(options: {
  db: Db;
  pubsub: PubSub;
  workspaceId: string;
  teamId: string;
  userIds: readonly string[];
}): Promise<{ id: string; name: string; memberIds: string[] }> {
  const { db, workspaceId, teamId } = options;
  const wanted = [...new Set(options.userIds)];
  const { team, before, members } = await db.transaction().execute(async (trx) => {
    const team = await findTeam(trx, workspaceId, teamId);
    if (!team) throw new AppError('team_not_found');
    const members = await filterMembers(trx, workspaceId, wanted);
    if (members.length !== wanted.length) throw new AppError('user_not_found');
    const before = await findMembersOfTeam(trx, teamId);
    await replaceTeamMembers(trx, { id: teamId, workspaceId }, members, nowIso());
    return { team, before, members };
  });
  const changed = [
    ...before.filter((u) => !members.includes(u)),
    ...members.filter((u) => !before.includes(u)),
  ];
  await announceScopeChange(options.pubsub, changed);
  return { id: teamId, name: team.name, memberIds: members };
}
