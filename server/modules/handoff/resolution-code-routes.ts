import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { EmptyBody, Id } from '../../../protocol/common.js';
import { ItemsOf, NoContent } from '../../../protocol/responses.js';
import { ResolutionCode, ResolutionCodeBody } from '../../../protocol/service.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import { addResolutionCode } from './add-resolution-code.js';
import { ensureResolutionDefaults } from './ensure-resolution-defaults.js';
import { deleteResolutionCode, listResolutionCodes } from './resolution-code.repository.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
const ItemParams = Type.Object({ workspaceId: Id, id: Id });
type WorkspaceParams = Static<typeof WorkspaceParams>;
type ItemParams = Static<typeof ItemParams>;

/** Resolution codes: read by every agent (the resolve form), managed with service.manage. */
export async function resolutionCodeRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId/resolution-codes';
  const read = { access: { kind: 'member', permission: 'conversations.read' } } as const;
  const manage = { access: { kind: 'member', permission: 'service.manage' } } as const;

  app.get(
    base,
    { schema: { params: WorkspaceParams, response: { 200: ItemsOf(ResolutionCode) } }, config: read },
    async (request) => {
      // A workspace's first look finds the default codes (ensure-resolution-defaults.ts).
      await ensureResolutionDefaults(app.db, request.params.workspaceId);
      return {
        items: (await listResolutionCodes(app.db, request.params.workspaceId)).map((r) => ({
          id: r.id,
          code: r.code,
          label: r.label,
        })),
      };
    },
  );

  app.post(
    base,
    {
      schema: { params: WorkspaceParams, body: ResolutionCodeBody, response: { 201: ResolutionCode } },
      config: manage,
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await addResolutionCode({ db: app.db, workspaceId: request.params.workspaceId, ...request.body }),
        ),
  );

  app.delete(
    `${base}/:id`,
    { schema: { params: ItemParams, body: EmptyBody, response: { 204: NoContent } }, config: manage },
    async (request, reply) => {
      if (!(await deleteResolutionCode(app.db, request.params.workspaceId, request.params.id)))
        throw new AppError('not_found');
      return reply.code(204).send();
    },
  );
}
