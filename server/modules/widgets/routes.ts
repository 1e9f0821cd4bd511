import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PublicWidget, Widget, WidgetBody, WidgetPatch } from '../../../protocol/api.js';
import { Id } from '../../../protocol/common.js';
import { ItemsOf } from '../../../protocol/responses.js';
import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import { typed } from '../../platform/http/typed-routes.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { presentBranding, presentLauncher } from './branding.presenter.js';
import { findBranding } from './branding.repository.js';
import { createWidget } from './create-widget.js';
import { launcherLabels } from './launcher-labels.js';
import { publicProactive } from './proactive.js';
import { requireWidget } from './require-widget.js';
import { updateWidget } from './update-widget.js';
import { allowedOriginsOf, presentWidget } from './widget.presenter.js';
import { findWidgetById, listWidgetsInWorkspace } from './widget.repository.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
const WidgetParams = Type.Object({ workspaceId: Id, widgetId: Id });

export async function widgetRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId/widgets';
  const publicUrl = app.config.publicUrl;

  app.get(
    base,
    {
      schema: { params: WorkspaceParams, response: { 200: ItemsOf(Widget) } },
      config: { access: { kind: 'member', permission: 'widgets.read' } },
    },
    async (request) => ({
      items: (await listWidgetsInWorkspace(app.db, request.params.workspaceId)).map((w) =>
        presentWidget(w, publicUrl),
      ),
    }),
  );

  app.post(
    base,
    {
      schema: { params: WorkspaceParams, body: WidgetBody, response: { 201: Widget } },
      config: { access: { kind: 'member', permission: 'widgets.manage' } },
    },
    async (request, reply) => {
      const row = await createWidget({
        db: app.db,
        ring: app.vault.ring,
        workspaceId: request.params.workspaceId,
        body: request.body,
        publicOrigin: app.config.publicOrigin,
      });
      await auditWidgetChange(app.db, request, 'widget.created', row.id, request.body);
      return reply.code(201).send(presentWidget(row, publicUrl));
    },
  );

  app.get(
    `${base}/:widgetId`,
    {
      schema: { params: WidgetParams, response: { 200: Widget } },
      config: { access: { kind: 'member', permission: 'widgets.read' } },
    },
    async (request) => {
      const row = await requireWidget(app.db, request.params.workspaceId, request.params.widgetId);
      return presentWidget(row, publicUrl);
    },
  );

  app.patch(
    `${base}/:widgetId`,
    {
      schema: { params: WidgetParams, body: WidgetPatch, response: { 200: Widget } },
      config: { access: { kind: 'member', permission: 'widgets.manage' } },
    },
    async (request) => {
      const { workspaceId, widgetId } = request.params;
      const row = await updateWidget({
        db: app.db,
        workspaceId,
        widgetId,
        patch: request.body,
        publicOrigin: app.config.publicOrigin,
      });
      await auditWidgetChange(app.db, request, 'widget.updated', row.id, request.body);
      return presentWidget(row, publicUrl);
    },
  );

  // The loader asks this before showing a launcher. CORS is granted only to the widget's own origins.
  app.get(
    '/api/v1/widgets/:widgetId/public',
    {
      schema: { params: Type.Object({ widgetId: Id }), response: { 200: PublicWidget } },
      config: { access: { kind: 'public' } },
    },
    async (request, reply) => {
      const origin = request.headers.origin;
      reply.header('cross-origin-resource-policy', 'cross-origin').header('vary', 'Origin, Accept-Language');
      // The refusal is readable by the refused page too, so its developer sees why the chat is missing.
      if (origin) reply.header('access-control-allow-origin', origin);
      const row = await findWidgetById(app.db, request.params.widgetId);
      if (!row) throw new AppError('widget_not_found');
      if (origin && !allowedOriginsOf(row).includes(origin)) throw new AppError('origin_not_allowed');
      const branding = presentBranding(row.id, await findBranding(app.db, row.id));
      const launcher = presentLauncher(branding);
      const words = launcherLabels(row, request.headers['accept-language'], launcher.label);
      const proactive = await publicProactive(app.db, row.id, words.lang);
      return {
        id: row.id,
        name: row.name,
        launcher,
        words,
        calls: row.calls_enabled === 1,
        ...(proactive ? { proactive } : {}),
      };
    },
  );
}

/**
 * Widget settings are security settings too (allowed origins): every change is audited by field name,
 * and allowing plain http:// origins with its value, so that choice is always on record.
 */
function auditWidgetChange(
  db: Db,
  request: FastifyRequest,
  action: string,
  widgetId: string,
  body: WidgetPatch,
): Promise<void> {
  const agent = request.agent;
  if (!agent) throw new AppError('unauthenticated');
  return recordAuditEvent(
    db,
    {
      workspaceId: agent.workspaceId,
      actor: { type: 'user', id: agent.userId },
      action,
      target: { type: 'widget', id: widgetId },
      ip: request.ip,
      details: {
        fields: Object.keys(body).sort().join(','),
        ...(body.allowInsecureOrigins !== undefined
          ? { allowInsecureOrigins: body.allowInsecureOrigins }
          : {}),
        // Camera and microphone in visitors' browsers: on record like the origins.
        ...(body.callsEnabled !== undefined ? { callsEnabled: body.callsEnabled } : {}),
      },
    },
    request.log,
  );
}
