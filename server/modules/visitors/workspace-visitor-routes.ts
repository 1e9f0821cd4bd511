import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { VisitorUserLookupBody, WorkspaceVisitor } from '../../../protocol/identity.js';
import { ItemsOf } from '../../../protocol/responses.js';
import { AppError } from '../../errors.js';
import type { Db, VisitorsTable } from '../../platform/db/schema.js';
import { typed } from '../../platform/http/typed-routes.js';
import { findOpenConversationOfVisitor } from '../conversations/lookups.js';
import { findVisitorInWorkspace, findVisitorOfUserInWorkspace } from './workspace-visitor.repository.js';

/**
 * Visitors as members and site backends see them. A backend finds its own signed-in user's visitor
 * (and open conversation) by the user id it verified, then reads or writes that conversation.
 */
export async function workspaceVisitorRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId/visitors';
  const read = {
    access: { kind: 'member', permission: 'personal-data.read', tokenScope: 'visitors:read' },
  } as const;

  // A POST with a JSON body, not a query string: the site's user id stays out of URLs and request logs.
  app.post(
    `${base}/by-user`,
    {
      schema: {
        response: { 200: ItemsOf(WorkspaceVisitor) },
        params: Type.Object({ workspaceId: Id }),
        body: VisitorUserLookupBody,
      },
      config: read,
    },
    async (request) => {
      const { widgetId, userId } = request.body;
      const row = await findVisitorOfUserInWorkspace(app.db, request.params.workspaceId, widgetId, userId);
      return { items: row ? [await present(app.db, row)] : [] };
    },
  );

  app.get(
    `${base}/:visitorId/summary`,
    {
      schema: {
        response: { 200: WorkspaceVisitor },
        params: Type.Object({ workspaceId: Id, visitorId: Id }),
      },
      config: read,
    },
    async (request) => {
      const row = await findVisitorInWorkspace(app.db, request.params.workspaceId, request.params.visitorId);
      if (!row) throw new AppError('not_found');
      return present(app.db, row);
    },
  );
}

async function present(db: Db, row: VisitorsTable): Promise<WorkspaceVisitor> {
  const open = await findOpenConversationOfVisitor(db, row.id, row.widget_id);
  return {
    id: row.id,
    widgetId: row.widget_id,
    name: row.display_name,
    userId: row.external_user_id,
    openConversationId: open?.id ?? null,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
  };
}
