import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  ApiToken,
  CertificateBindingBody,
  CreateApiTokenBody,
  CreatedApiToken,
} from '../../../protocol/api-tokens.js';
import { EmptyBody, Id } from '../../../protocol/common.js';
import { ItemsOf } from '../../../protocol/responses.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import type { Agent } from '../auth/agent.js';
import { presentApiToken } from './api-token.presenter.js';
import { listApiTokensInWorkspace } from './api-token.repository.js';
import { bindApiTokenCertificate } from './bind-api-token-certificate.js';
import { createApiToken } from './create-api-token.js';
import { revokeApiToken } from './revoke-api-token.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
const TokenParams = Type.Object({ workspaceId: Id, tokenId: Id });

/** Administrators manage API tokens. No token can manage tokens: these routes name no token scope. */
export async function apiTokenRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId/api-tokens';
  const manage = { access: { kind: 'member', permission: 'tokens.manage' } } as const;
  const agentOf = (request: FastifyRequest): Agent => {
    if (!request.agent) throw new AppError('unauthenticated');
    return request.agent;
  };

  app.get(
    base,
    { schema: { params: WorkspaceParams, response: { 200: ItemsOf(ApiToken) } }, config: manage },
    async (request) => ({
      items: (await listApiTokensInWorkspace(app.db, request.params.workspaceId)).map(presentApiToken),
    }),
  );

  app.post(
    base,
    {
      schema: { params: WorkspaceParams, body: CreateApiTokenBody, response: { 201: CreatedApiToken } },
      config: manage,
    },
    async (request, reply) => {
      const created = await createApiToken({
        db: app.db,
        workspaceId: request.params.workspaceId,
        userId: agentOf(request).userId,
        body: request.body,
        ip: request.ip,
        log: request.log,
      });
      return reply.code(201).send(created);
    },
  );

  app.post(
    `${base}/:tokenId/revoke`,
    { schema: { params: TokenParams, body: EmptyBody, response: { 200: ApiToken } }, config: manage },
    async (request) =>
      revokeApiToken({
        db: app.db,
        workspaceId: request.params.workspaceId,
        tokenId: request.params.tokenId,
        userId: agentOf(request).userId,
        ip: request.ip,
        log: request.log,
      }),
  );

  app.put(
    `${base}/:tokenId/certificate`,
    {
      schema: { params: TokenParams, body: CertificateBindingBody, response: { 200: ApiToken } },
      config: manage,
    },
    async (request) =>
      bindApiTokenCertificate({
        db: app.db,
        workspaceId: request.params.workspaceId,
        tokenId: request.params.tokenId,
        userId: agentOf(request).userId,
        body: request.body,
        ip: request.ip,
        log: request.log,
      }),
  );
}
