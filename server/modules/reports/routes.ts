import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { ReportQuery, ServiceReport } from '../../../protocol/service.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { typed } from '../../platform/http/typed-routes.js';
import { computeReport } from './compute-report.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });

/** The service report: supervisors and administrators (reports.read). */
export async function reportRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  app.get(
    '/api/v1/workspaces/:workspaceId/reports/service',
    {
      schema: { params: WorkspaceParams, querystring: ReportQuery, response: { 200: ServiceReport } },
      config: { access: { kind: 'member', permission: 'reports.read' } },
    },
    async (request) => {
      const to = request.query.to ?? nowIso();
      const from = request.query.from ?? new Date(Date.parse(to) - 30 * 86_400_000).toISOString();
      if (Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to)) || from >= to)
        throw new AppError('invalid_request', { details: ['from must be a time before to'] });
      return computeReport({ db: app.db, workspaceId: request.params.workspaceId, from, to });
    },
  );
}
