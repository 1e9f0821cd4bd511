import { randomUUID } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { EmptyBody, Id } from '../../../protocol/common.js';
import { ItemsOf, NoContent } from '../../../protocol/responses.js';
import { Team, TeamBody, TeamMembersBody, WidgetTeam, WidgetTeamBody } from '../../../protocol/service.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { isUniqueViolation } from '../../platform/db/unique-violation.js';
import { typed } from '../../platform/http/typed-routes.js';
import { setWidgetTeam } from '../widgets/route-widget.js';
import { listTeamMemberships } from './agent.repository.js';
import { deleteTeam } from './delete-team.js';
import { presenceTtlMs } from './service-defaults.js';
import { setTeamMembers } from './set-team-members.js';
import * as repo from './team.repository.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
const ItemParams = Type.Object({ workspaceId: Id, id: Id });
const WidgetParams = Type.Object({ workspaceId: Id, widgetId: Id });
type WorkspaceParams = Static<typeof WorkspaceParams>;
type ItemParams = Static<typeof ItemParams>;

/** Teams, their members and the team each widget's handoffs go to: read by every agent, managed with service.manage. */
export async function teamRoutes(
  root: FastifyInstance,
  options: { heartbeatIntervalMs: number },
): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId';
  const read = { access: { kind: 'member', permission: 'conversations.read' } } as const;
  const manage = { access: { kind: 'member', permission: 'service.manage' } } as const;
  const renamed = (err: unknown) => {
    throw isUniqueViolation(err) ? new AppError('team_name_taken') : err;
  };
  const memberIdsOf = async (workspaceId: string, teamId: string) =>
    (await listTeamMemberships(app.db, workspaceId))
      .filter((m) => m.team_id === teamId)
      .map((m) => m.user_id);

  app.get(
    `${base}/teams`,
    { schema: { params: WorkspaceParams, response: { 200: ItemsOf(Team) } }, config: read },
    async (request) => {
      const [teams, members] = await Promise.all([
        repo.listTeams(app.db, request.params.workspaceId),
        listTeamMemberships(app.db, request.params.workspaceId),
      ]);
      return {
        items: teams.map((t) => ({
          id: t.id,
          name: t.name,
          memberIds: members.filter((m) => m.team_id === t.id).map((m) => m.user_id),
        })),
      };
    },
  );

  app.post(
    `${base}/teams`,
    { schema: { params: WorkspaceParams, body: TeamBody, response: { 201: Team } }, config: manage },
    async (request, reply) => {
      const row = {
        id: randomUUID(),
        workspace_id: request.params.workspaceId,
        name: request.body.name.trim(),
        created_at: nowIso(),
      };
      await repo.insertTeam(app.db, row).catch(renamed);
      return reply.code(201).send({ id: row.id, name: row.name, memberIds: [] });
    },
  );

  app.patch(
    `${base}/teams/:id`,
    { schema: { params: ItemParams, body: TeamBody, response: { 200: Team } }, config: manage },
    async (request) => {
      const { workspaceId, id } = request.params;
      const name = request.body.name.trim();
      if (!(await repo.renameTeam(app.db, workspaceId, id, name).catch(renamed)))
        throw new AppError('team_not_found');
      return { id, name, memberIds: await memberIdsOf(workspaceId, id) };
    },
  );

  // Its widgets route to anyone again and its open queries join everyone's queue (delete-team.ts).
  app.delete(
    `${base}/teams/:id`,
    { schema: { params: ItemParams, body: EmptyBody, response: { 204: NoContent } }, config: manage },
    async (request, reply) => {
      await deleteTeam(
        {
          db: app.db,
          vault: app.vault,
          pubsub: app.pubsub,
          presenceTtlMs: presenceTtlMs(options.heartbeatIntervalMs),
        },
        { workspaceId: request.params.workspaceId, teamId: request.params.id },
      );
      return reply.code(204).send();
    },
  );

  app.put(
    `${base}/teams/:id/members`,
    { schema: { params: ItemParams, body: TeamMembersBody, response: { 200: Team } }, config: manage },
    async (request) => {
      const { workspaceId, id } = request.params;
      return setTeamMembers({
        db: app.db,
        pubsub: app.pubsub,
        workspaceId,
        teamId: id,
        userIds: request.body.userIds,
      });
    },
  );

  app.put(
    `${base}/widgets/:widgetId/team`,
    {
      schema: { params: WidgetParams, body: WidgetTeamBody, response: { 200: WidgetTeam } },
      config: { access: { kind: 'member', permission: 'widgets.manage' } },
    },
    async (request) => {
      const { workspaceId, widgetId } = request.params;
      const { teamId } = request.body;
      if (teamId && !(await repo.findTeam(app.db, workspaceId, teamId))) throw new AppError('team_not_found');
      if (!(await setWidgetTeam(app.db, workspaceId, widgetId, teamId)))
        throw new AppError('widget_not_found');
      return { widgetId, teamId };
    },
  );
}
