import { randomUUID } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { EmptyBody, Id } from '../../../protocol/common.js';
import { CannedResponseBody, ResolutionCodeBody, unknownCannedVariables } from '../../../protocol/service.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import * as repo from './service-config.repository.js';
import { isUniqueViolation } from './unique-violation.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
const ItemParams = Type.Object({ workspaceId: Id, id: Id });
type WorkspaceParams = Static<typeof WorkspaceParams>;
type ItemParams = Static<typeof ItemParams>;

/** Refuses a canned response whose body uses a variable the composer would not fill in. */
function checkVariables(body: string): void {
  const unknown = unknownCannedVariables(body);
  if (unknown.length > 0)
    throw new AppError('canned_variable_unknown', { details: unknown.map((v) => `unknown variable {${v}}`) });
}

/** Resolution codes and canned responses: read by every agent, managed with service.manage (teams: team-routes.ts). */
export async function serviceConfigRoutes(app: FastifyInstance): Promise<void> {
  const base = '/api/v1/workspaces/:workspaceId';
  const read = { access: { kind: 'member', permission: 'conversations.read' } } as const;
  const manage = { access: { kind: 'member', permission: 'service.manage' } } as const;

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
    { schema: { params: ItemParams, body: EmptyBody }, config: manage },
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
      checkVariables(request.body.body);
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
      checkVariables(request.body.body);
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
    { schema: { params: ItemParams, body: EmptyBody }, config: manage },
    async (request, reply) => {
      if (!(await repo.deleteCannedResponse(app.db, request.params.workspaceId, request.params.id)))
        throw new AppError('canned_response_not_found');
      return reply.code(204).send();
    },
  );
}
