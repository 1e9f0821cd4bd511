import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { ArchiveListQuery, RetentionBody } from '../../../protocol/data-protection.js';
import { LIMITS } from '../../../protocol/limits.js';
import { AppError } from '../../errors.js';
import { findLease } from '../../platform/scheduler/lease.repository.js';
import { findWidgetInWorkspace } from '../widgets/lookups.js';
import { RETENTION_JOB } from './create-retention-job.js';
import { getRetentionSettings } from './get-retention-settings.js';
import { getArchive, listArchives } from './read-archive.js';
import { listRetentionRuns } from './retention.repository.js';
import { presentRetention } from './retention-policy.js';
import { updateRetentionSettings } from './update-retention-settings.js';

const WidgetParams = Type.Object({ workspaceId: Id, widgetId: Id });
const WorkspaceParams = Type.Object({ workspaceId: Id });
const ArchiveParams = Type.Object({ workspaceId: Id, archiveId: Id });

export async function retentionRoutes(app: FastifyInstance): Promise<void> {
  const base = '/api/v1/workspaces/:workspaceId';
  const manage = { access: { kind: 'member', permission: 'retention.manage' } } as const;
  const archives = { access: { kind: 'member', permission: 'archives.read' } } as const;

  app.get<{ Params: Static<typeof WidgetParams> }>(
    `${base}/widgets/:widgetId/retention`,
    { schema: { params: WidgetParams }, config: { access: { kind: 'member', permission: 'widgets.read' } } },
    async (request) => {
      const { workspaceId, widgetId } = request.params;
      if (!(await findWidgetInWorkspace(app.db, workspaceId, widgetId)))
        throw new AppError('widget_not_found');
      const { updatedAt, ...rules } = await getRetentionSettings({ db: app.db, widgetId });
      return presentRetention(widgetId, rules, updatedAt);
    },
  );

  app.put<{ Params: Static<typeof WidgetParams>; Body: RetentionBody }>(
    `${base}/widgets/:widgetId/retention`,
    { schema: { params: WidgetParams, body: RetentionBody }, config: manage },
    async (request) => updateRetentionSettings({ db: app.db, ...request.params, body: request.body }),
  );

  app.get<{ Params: Static<typeof WorkspaceParams> }>(
    `${base}/retention/runs`,
    { schema: { params: WorkspaceParams }, config: manage },
    async (request) => {
      const rows = await listRetentionRuns(app.db, request.params.workspaceId, LIMITS.listPageSize);
      const lease = await findLease(app.db, RETENTION_JOB);
      return {
        lastRunAt: lease?.last_run_at ?? null,
        items: rows.map((r) => ({
          id: r.id,
          node: r.node,
          startedAt: r.started_at,
          finishedAt: r.finished_at,
          counts: JSON.parse(r.counts),
          error: r.error,
        })),
      };
    },
  );

  app.get<{ Params: Static<typeof WorkspaceParams>; Querystring: Static<typeof ArchiveListQuery> }>(
    `${base}/archives`,
    { schema: { params: WorkspaceParams, querystring: ArchiveListQuery }, config: archives },
    async (request) => ({
      items: await listArchives({
        db: app.db,
        workspaceId: request.params.workspaceId,
        ...(request.query.widgetId ? { widgetId: request.query.widgetId } : {}),
        ...(request.query.before ? { before: request.query.before } : {}),
        limit: request.query.limit ?? LIMITS.listPageSize,
      }),
    }),
  );

  app.get<{ Params: Static<typeof ArchiveParams> }>(
    `${base}/archives/:archiveId`,
    { schema: { params: ArchiveParams }, config: archives },
    async (request) => getArchive({ db: app.db, vault: app.vault, ...request.params }),
  );
}
