import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { SeriesQuery, ServiceSeries } from '../../../protocol/reports.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { computeSeries } from './compute-series.js';
import { seriesToCsv } from './series-csv.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
type Route = { Params: Static<typeof WorkspaceParams>; Querystring: SeriesQuery };

/** [from, to) as ISO times: the last 30 days unless given. */
function periodOf(query: SeriesQuery): { from: string; to: string } {
  const to = Date.parse(query.to ?? nowIso());
  const from = query.from ? Date.parse(query.from) : to - 30 * 86_400_000;
  if (Number.isNaN(from) || Number.isNaN(to) || from >= to)
    throw new AppError('invalid_request', { details: ['from must be a time before to'] });
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/**
 * The service report over time, and the same as a CSV download: supervisors and administrators
 * (reports.read), like the service report itself.
 */
export async function seriesReportRoutes(app: FastifyInstance): Promise<void> {
  const compute = (request: { params: Route['Params']; query: SeriesQuery }) =>
    computeSeries({
      db: app.db,
      workspaceId: request.params.workspaceId,
      ...periodOf(request.query),
      bucket: request.query.bucket ?? 'day',
      tz: request.query.tz ?? 'UTC',
    });

  app.get<Route>(
    '/api/v1/workspaces/:workspaceId/reports/service/series',
    {
      schema: { params: WorkspaceParams, querystring: SeriesQuery, response: { 200: ServiceSeries } },
      config: { access: { kind: 'member', permission: 'reports.read' } },
    },
    (request) => compute(request),
  );

  app.get<Route>(
    '/api/v1/workspaces/:workspaceId/reports/service/series.csv',
    {
      schema: { params: WorkspaceParams, querystring: SeriesQuery, response: { 200: Type.String() } },
      config: { access: { kind: 'member', permission: 'reports.read' } },
    },
    async (request, reply) => {
      const report = await compute(request);
      const name = `service-report-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}.csv`;
      reply.header('content-disposition', `attachment; filename="${name}"`);
      return reply.type('text/csv; charset=utf-8').send(seriesToCsv(report));
    },
  );
}
