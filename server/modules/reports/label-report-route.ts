import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { LabelReport } from '../../../protocol/labels.js';
import { ReportQuery } from '../../../protocol/service.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { presentLabel } from '../labels/label.presenter.js';
import { listLabelledConversationIds, listLabels } from '../labels/lookups.js';
import { computeReport } from './compute-report.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });

/**
 * The service report grouped by label: the same figures, once per label, over the conversations
 * carrying it (a conversation with two labels counts in both).
 */
export async function labelReportRoute(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof WorkspaceParams>; Querystring: Static<typeof ReportQuery> }>(
    '/api/v1/workspaces/:workspaceId/reports/service/by-label',
    {
      schema: { params: WorkspaceParams, querystring: ReportQuery, response: { 200: LabelReport } },
      config: { access: { kind: 'member', permission: 'reports.read' } },
    },
    async (request) => {
      const to = request.query.to ?? nowIso();
      const from = request.query.from ?? new Date(Date.parse(to) - 30 * 86_400_000).toISOString();
      if (Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to)) || from >= to)
        throw new AppError('invalid_request', { details: ['from must be a time before to'] });
      const { workspaceId } = request.params;
      const groups = [];
      for (const label of await listLabels(app.db, workspaceId)) {
        const ids = (await listLabelledConversationIds(app.db, { workspaceId, labelId: label.id })).map(
          (r) => r.conversation_id,
        );
        groups.push({
          label: presentLabel(label),
          report: await computeReport({ db: app.db, workspaceId, from, to, conversationIds: ids }),
        });
      }
      return { from, to, groups };
    },
  );
}
