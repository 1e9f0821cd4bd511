import { randomUUID } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import {
  CannedResponseBody,
  ResolutionCodeBody,
  TeamBody,
  TeamMembersBody,
  WidgetTeamBody,
} from '../../../protocol/service.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { listTeamMemberships } from './agent.repository.js';
import * as repo from './service-config.repository.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
const ItemParams = Type.Object({ workspaceId: Id, id: Id });
const WidgetParams = Type.Object({ workspaceId: Id, widgetId: Id });
type WorkspaceParams = Static<typeof WorkspaceParams>;
type ItemParams = Static<typeof ItemParams>;

/** A unique-constraint violation on either dialect (a name or shortcut that exists already). */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

/** Teams, resolution codes and canned responses: read by every agent, managed with service.manage. */
export async function serviceConfigRoutes(app: FastifyInstance): Promise<void> {
  const base = '/api/v1/workspaces/:workspaceId';
  const read = { access: { kind: 'member', permission: 'conversations.read' } } as const;
  const manage = { access: { kind: 'member', permission: 'service.manage' } } as const;

  app.get<{ Params: WorkspaceParams }>(
    `${base}/teams`,
    { schema: { params: WorkspaceParams }, config: read },
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

  app.post<{ Params: WorkspaceParams; Body: Static<typeof TeamBody> }>(
    `${base}/teams`,
    { schema: { params: WorkspaceParams, body: TeamBody }, config: manage },
    async (request, reply) => {
      const row = {
        id: randomUUID(),
        workspace_id: request.params.workspaceId,
        name: request.body.name.trim(),
        created_at: nowIso(),
      };
      await repo.insertTeam(app.db, row).catch((err: unknown) => {
        throw isUniqueViolation(err) ? new AppError('team_name_taken') : err;
      });
      return reply.code(201).send({ id: row.id, name: row.name, memberIds: [] });
    },
  );

  app.put<{ Params: ItemParams; Body: Static<typeof TeamMembersBody> }>(
    `${base}/teams/:id/members`,
    { schema: { params: ItemParams, body: TeamMembersBody }, config: manage },
    async (request) => {
      const { workspaceId, id } = request.params;
      const team = await repo.findTeam(app.db, workspaceId, id);
      if (!team) throw new AppError('team_not_found');
      const wanted = [...new Set(request.body.userIds)];
      const members = await repo.filterMembers(app.db, workspaceId, wanted);
      if (members.length !== wanted.length) throw new AppError('user_not_found');
      await app.db
        .transaction()
        .execute((trx) => repo.replaceTeamMembers(trx, { id, workspaceId }, members, nowIso()));
      return { id, name: team.name, memberIds: members };
    },
  );

  app.put<{ Params: Static<typeof WidgetParams>; Body: Static<typeof WidgetTeamBody> }>(
    `${base}/widgets/:widgetId/team`,
    {
      schema: { params: WidgetParams, body: WidgetTeamBody },
      config: { access: { kind: 'member', permission: 'widgets.manage' } },
    },
    async (request) => {
      const { workspaceId, widgetId } = request.params;
      const { teamId } = request.body;
      if (teamId && !(await repo.findTeam(app.db, workspaceId, teamId))) throw new AppError('team_not_found');
      if (!(await repo.setWidgetTeam(app.db, workspaceId, widgetId, teamId)))
        throw new AppError('widget_not_found');
      return { widgetId, teamId };
    },
  );

  app.get<{ Params: WorkspaceParams }>(
    `${base}/resolution-codes`,
    { schema: { params: WorkspaceParams }, config: read },
    async (request) => ({
      items: (await repo.listResolutionCodes(app.db, request.params.workspaceId)).map((r) => ({
        id: r.id,
        code: r.code,
        label: r.label,
      })),
    }),
  );

  app.post<{ Params: WorkspaceParams; Body: Static<typeof ResolutionCodeBody> }>(
    `${base}/resolution-codes`,
    { schema: { params: WorkspaceParams, body: ResolutionCodeBody }, config: manage },
    async (request, reply) => {
      const row = {
        id: randomUUID(),
        workspace_id: request.params.workspaceId,
        ...request.body,
        created_at: nowIso(),
      };
      await repo.insertResolutionCode(app.db, row).catch((err: unknown) => {
        throw isUniqueViolation(err) ? new AppError('resolution_code_taken') : err;
      });
      return reply.code(201).send({ id: row.id, code: row.code, label: row.label });
    },
  );

  app.delete<{ Params: ItemParams }>(
    `${base}/resolution-codes/:id`,
    { schema: { params: ItemParams }, config: manage },
    async (request, reply) => {
      if (!(await repo.deleteResolutionCode(app.db, request.params.workspaceId, request.params.id)))
        throw new AppError('not_found');
      return reply.code(204).send();
    },
  );

  app.get<{ Params: WorkspaceParams }>(
    `${base}/canned-responses`,
    { schema: { params: WorkspaceParams }, config: read },
    async (request) => ({
      items: (await repo.listCannedResponses(app.db, request.params.workspaceId)).map((r) => ({
        id: r.id,
        shortcut: r.shortcut,
        title: r.title,
        body: r.body,
      })),
    }),
  );

  app.post<{ Params: WorkspaceParams; Body: Static<typeof CannedResponseBody> }>(
    `${base}/canned-responses`,
    { schema: { params: WorkspaceParams, body: CannedResponseBody }, config: manage },
    async (request, reply) => {
      const at = nowIso();
      const row = {
        id: randomUUID(),
        workspace_id: request.params.workspaceId,
        ...request.body,
        created_at: at,
        updated_at: at,
      };
      await repo.insertCannedResponse(app.db, row).catch((err: unknown) => {
        throw isUniqueViolation(err) ? new AppError('shortcut_taken') : err;
      });
      return reply.code(201).send({ id: row.id, shortcut: row.shortcut, title: row.title, body: row.body });
    },
  );

  app.put<{ Params: ItemParams; Body: Static<typeof CannedResponseBody> }>(
    `${base}/canned-responses/:id`,
    { schema: { params: ItemParams, body: CannedResponseBody }, config: manage },
    async (request) => {
      const ok = await repo
        .updateCannedResponse(app.db, request.params.workspaceId, request.params.id, {
          ...request.body,
          updated_at: nowIso(),
        })
        .catch((err: unknown) => {
          throw isUniqueViolation(err) ? new AppError('shortcut_taken') : err;
        });
      if (!ok) throw new AppError('canned_response_not_found');
      return { id: request.params.id, ...request.body };
    },
  );

  app.delete<{ Params: ItemParams }>(
    `${base}/canned-responses/:id`,
    { schema: { params: ItemParams }, config: manage },
    async (request, reply) => {
      if (!(await repo.deleteCannedResponse(app.db, request.params.workspaceId, request.params.id)))
        throw new AppError('canned_response_not_found');
      return reply.code(204).send();
    },
  );
}
