import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { RatingBody, ReportQuery, VisitorPageBody } from '../../../protocol/service.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { computeReport } from '../reports/compute-report.js';
import { authenticateVisitor } from '../visitors/authenticate-visitor.js';
import { bearerToken } from '../visitors/credential-check.js';
import { recordVisitorPage } from '../visitors/record-visitor-page.js';
import { visitorCookieName } from '../visitors/visitor-cookie.js';
import { rateQuery } from './rate-query.js';

const ConversationParams = Type.Object({ conversationId: Id });
const WorkspaceParams = Type.Object({ workspaceId: Id });

/** The visitor's side of the handoff (rating, the page they are on) and the supervisors' report. */
export async function serviceVisitorRoutes(app: FastifyInstance): Promise<void> {
  const visitorOf = (
    request: {
      headers: { authorization?: string; origin?: string };
      cookies: Record<string, string | undefined>;
    },
    widgetId?: string,
  ) => {
    const bearer = bearerToken(request.headers.authorization);
    return authenticateVisitor({
      db: app.db,
      config: app.config,
      credential: bearer ?? (widgetId ? request.cookies[visitorCookieName(widgetId)] : undefined),
      ...(bearer || !widgetId ? {} : { widgetId }),
      requestOrigin: request.headers.origin,
    });
  };

  app.post<{ Params: Static<typeof ConversationParams>; Body: Static<typeof RatingBody> }>(
    '/api/v1/visitor/conversations/:conversationId/rating',
    { schema: { params: ConversationParams, body: RatingBody }, config: { access: { kind: 'visitor' } } },
    async (request, reply) => {
      const visitor = await visitorOf(request, request.body.widgetId);
      await rateQuery({
        db: app.db,
        vault: app.vault,
        visitor,
        conversationId: request.params.conversationId,
        score: request.body.score,
        ...(request.body.comment ? { comment: request.body.comment } : {}),
      });
      return reply.code(204).send();
    },
  );

  app.put<{ Params: Static<typeof ConversationParams>; Body: Static<typeof VisitorPageBody> }>(
    '/api/v1/visitor/conversations/:conversationId/page',
    {
      schema: { params: ConversationParams, body: VisitorPageBody },
      config: { access: { kind: 'visitor' } },
    },
    async (request, reply) => {
      const visitor = await visitorOf(request, request.body.widgetId);
      await recordVisitorPage({
        db: app.db,
        vault: app.vault,
        visitor,
        conversationId: request.params.conversationId,
        pageUrl: request.body.pageUrl,
        referrer: request.body.referrer ?? null,
      });
      return reply.code(204).send();
    },
  );

  app.get<{ Params: Static<typeof WorkspaceParams>; Querystring: Static<typeof ReportQuery> }>(
    '/api/v1/workspaces/:workspaceId/reports/service',
    {
      schema: { params: WorkspaceParams, querystring: ReportQuery },
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
