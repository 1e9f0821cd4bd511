import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import {
  Archive,
  ArchiveListQuery,
  ArchiveSummary,
  RetentionBody,
  RetentionRuns,
  RetentionSettings,
} from '../../../protocol/data-protection.js';
import { LIMITS } from '../../../protocol/limits.js';
import { ItemsOf } from '../../../protocol/responses.js';
import { typed } from '../../platform/http/typed-routes.js';
import { findLease } from '../../platform/scheduler/lease.repository.js';
import { requireWidget } from '../widgets/lookups.js';
import { RETENTION_JOB } from './create-retention-job.js';
import { getRetentionSettings } from './get-retention-settings.js';
import { getArchive, listArchives } from './read-archive.js';
import { listRetentionRuns } from './retention.repository.js';
import { presentRetention } from './retention-policy.js';
import { ZERO_COUNTS } from './run-retention.js';
import { updateRetentionSettings } from './update-retention-settings.js';

const WidgetParams = Type.Object({ workspaceId: Id, widgetId: Id });
const WorkspaceParams = Type.Object({ workspaceId: Id });
const ArchiveParams = Type.Object({ workspaceId: Id, archiveId: Id });

export async function retentionRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId';
  const manage = { access: { kind: 'member', permission: 'retention.manage' } } as const;
  const archives = { access: { kind: 'member', permission: 'archives.read' } } as const;

  app.get(
    `${base}/widgets/:widgetId/retention`,
    {
      schema: { params: WidgetParams, response: { 200: RetentionSettings } },
      config: { access: { kind: 'member', permission: 'widgets.read' } },
    },
    async (request) => {
      const { workspaceId, widgetId } = request.params;
      await requireWidget(app.db, workspaceId, widgetId);
      const { updatedAt, ...rules } = await getRetentionSettings({ db: app.db, widgetId });
      return presentRetention(widgetId, rules, updatedAt);
    },
  );

  app.put(
    `${base}/widgets/:widgetId/retention`,
    {
      schema: { params: WidgetParams, body: RetentionBody, response: { 200: RetentionSettings } },
      config: manage,
    },
    async (request) => updateRetentionSettings({ db: app.db, ...request.params, body: request.body }),
  );

  app.get(
    `${base}/retention/runs`,
    { schema: { params: WorkspaceParams, response: { 200: RetentionRuns } }, config: manage },
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
          // Runs recorded before a count existed show it as 0 (the schema requires every count).
          counts: { ...ZERO_COUNTS, ...JSON.parse(r.counts) },
          error: r.error,
        })),
      };
    },
  );

  app.get(
    `${base}/archives`,
    {
      schema: {
        params: WorkspaceParams,
        querystring: ArchiveListQuery,
        response: { 200: ItemsOf(ArchiveSummary) },
      },
      config: archives,
    },
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

  app.get(
    `${base}/archives/:archiveId`,
    { schema: { params: ArchiveParams, response: { 200: Archive } }, config: archives },
    async (request) => getArchive({ db: app.db, vault: app.vault, ...request.params }),
  );
}
