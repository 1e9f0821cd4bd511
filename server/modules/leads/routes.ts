import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { Lead, LeadExportQuery, LeadListQuery, LeadPage } from '../../../protocol/leads.js';
import { ItemsOf } from '../../../protocol/responses.js';
import { typed } from '../../platform/http/typed-routes.js';
import type { Agent } from '../auth/agent.js';
import { viewerOf } from '../privacy/views.js';
import { exportLeads, leadsToCsv } from './export-leads.js';
import { listLeads } from './list-leads.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });

/** The leads flows collected: a paged list, and an export (docs/PROTOCOL.md §2.16). */
export async function leadRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId/leads';

  app.get(
    base,
    {
      schema: { params: WorkspaceParams, querystring: LeadListQuery, response: { 200: LeadPage } },
      config: { access: { kind: 'member', permission: 'leads.read' } },
    },
    async (request) =>
      listLeads({
        db: app.db,
        vault: app.vault,
        viewer: viewerOf(request.agent),
        query: { ...request.query, workspaceId: request.params.workspaceId },
      }),
  );

  app.get(
    `${base}/export`,
    {
      schema: {
        params: WorkspaceParams,
        querystring: LeadExportQuery,
        response: {
          200: {
            content: { 'application/json': { schema: ItemsOf(Lead) }, 'text/csv': { schema: Type.String() } },
          },
        },
      },
      config: { access: { kind: 'member', permission: 'visitors.export' } },
    },
    async (request, reply) => {
      const { format, ...filter } = request.query;
      const leads = await exportLeads({
        db: app.db,
        vault: app.vault,
        actorUserId: (request.agent as Agent).userId,
        query: { ...filter, workspaceId: request.params.workspaceId },
      });
      const name = `leads-${new Date().toISOString().slice(0, 10)}.${format}`;
      reply.header('content-disposition', `attachment; filename="${name}"`);
      if (format === 'json') return { items: leads };
      return reply.type('text/csv; charset=utf-8').send(leadsToCsv(leads));
    },
  );
}
