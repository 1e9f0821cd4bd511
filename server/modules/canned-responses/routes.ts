import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { EmptyBody, Id } from '../../../protocol/common.js';
import { ItemsOf, NoContent } from '../../../protocol/responses.js';
import { CannedResponse, CannedResponseBody } from '../../../protocol/service.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import { presentCannedResponse } from './canned-response.presenter.js';
import { deleteCannedResponse, listCannedResponses } from './canned-response.repository.js';
import { saveCannedResponse } from './save-canned-response.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
const ItemParams = Type.Object({ workspaceId: Id, id: Id });

/** Canned responses: read by every agent (the reply box offers them), managed with service.manage. */
export async function cannedResponseRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId/canned-responses';
  const read = { access: { kind: 'member', permission: 'conversations.read' } } as const;
  const manage = { access: { kind: 'member', permission: 'service.manage' } } as const;

  app.get(
    base,
    { schema: { params: WorkspaceParams, response: { 200: ItemsOf(CannedResponse) } }, config: read },
    async (request) => ({
      items: (await listCannedResponses(app.db, request.params.workspaceId)).map(presentCannedResponse),
    }),
  );

  app.post(
    base,
    {
      schema: { params: WorkspaceParams, body: CannedResponseBody, response: { 201: CannedResponse } },
      config: manage,
    },
    async (request, reply) =>
      reply.code(201).send(
        await saveCannedResponse({
          db: app.db,
          workspaceId: request.params.workspaceId,
          input: request.body,
        }),
      ),
  );

  app.put(
    `${base}/:id`,
    {
      schema: { params: ItemParams, body: CannedResponseBody, response: { 200: CannedResponse } },
      config: manage,
    },
    async (request) =>
      saveCannedResponse({
        db: app.db,
        workspaceId: request.params.workspaceId,
        id: request.params.id,
        input: request.body,
      }),
  );

  app.delete(
    `${base}/:id`,
    { schema: { params: ItemParams, body: EmptyBody, response: { 204: NoContent } }, config: manage },
    async (request, reply) => {
      if (!(await deleteCannedResponse(app.db, request.params.workspaceId, request.params.id)))
        throw new AppError('canned_response_not_found');
      return reply.code(204).send();
    },
  );
}
