import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { DirectorySettingsBody, DirectoryState, DirectoryTestResult } from '../../../protocol/directory.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import type { Agent } from '../auth/agent.js';
import { presentDirectory } from './directory.presenter.js';
import { findDirectoryOfWorkspace, listMappings } from './directory.repository.js';
import { saveDirectory } from './save-directory.js';
import { testDirectoryConnection } from './test-directory-connection.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });

/** Administrators configure the workspace's company directory (LDAP / Active Directory). */
export async function directoryRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId/directory';
  const manage = { access: { kind: 'member', permission: 'security.manage' } } as const;
  const agentOf = (request: FastifyRequest): Agent => {
    if (!request.agent) throw new AppError('unauthenticated');
    return request.agent;
  };

  app.get(
    base,
    { schema: { params: WorkspaceParams, response: { 200: DirectoryState } }, config: manage },
    async (request) => {
      const row = await findDirectoryOfWorkspace(app.db, request.params.workspaceId);
      return {
        directory: row ? presentDirectory(row, await listMappings(app.db, row.id)) : null,
        plainAllowed: app.config.directory.allowPlain,
      };
    },
  );

  app.put(
    base,
    {
      schema: { params: WorkspaceParams, body: DirectorySettingsBody, response: { 200: DirectoryState } },
      config: manage,
    },
    async (request) => ({
      directory: await saveDirectory({
        db: app.db,
        ring: app.vault.ring,
        config: app.config,
        workspaceId: request.params.workspaceId,
        userId: agentOf(request).userId,
        body: request.body,
        ip: request.ip,
        log: request.log,
      }),
      plainAllowed: app.config.directory.allowPlain,
    }),
  );

  app.post(
    `${base}/test`,
    {
      schema: {
        params: WorkspaceParams,
        body: DirectorySettingsBody,
        response: { 200: DirectoryTestResult },
      },
      config: manage,
    },
    async (request) =>
      testDirectoryConnection({
        db: app.db,
        ring: app.vault.ring,
        config: app.config,
        workspaceId: request.params.workspaceId,
        body: request.body,
      }),
  );
}
