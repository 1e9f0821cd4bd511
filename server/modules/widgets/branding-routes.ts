import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UploadBody } from '../../../protocol/attachments.js';
import { BRANDING_LIMITS, WidgetBranding, WidgetBrandingBody } from '../../../protocol/branding.js';
import { EmptyBody, Id } from '../../../protocol/common.js';
import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import { typed } from '../../platform/http/typed-routes.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { presentBranding } from './branding.presenter.js';
import { findAvatar, findBranding } from './branding.repository.js';
import { requireWidget } from './require-widget.js';
import { setBotAvatar } from './set-bot-avatar.js';
import { updateBranding } from './update-branding.js';

const WidgetParams = Type.Object({ workspaceId: Id, widgetId: Id });
/** The avatar is only ever served as Parley's own PNG. */
const PNG_RESPONSE: { content: Record<string, { schema: { type: string } }> } = {
  content: { 'image/png': { schema: { type: 'string' } } },
};

/**
 * A widget's look, set by administrators in the dashboard. The avatar upload is raw bytes
 * (application/octet-stream) up to BRANDING_LIMITS.maxAvatarBytes; it is re-encoded before it is
 * stored, and served from Parley's origin as image/png only.
 */
export async function brandingRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId/widgets/:widgetId/branding';
  // Only this plugin's avatar route takes bytes here; its own small limit, before anything is decoded.
  root.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: BRANDING_LIMITS.maxAvatarBytes },
    (_request, body, done) => done(null, body),
  );
  const manage = { access: { kind: 'member', permission: 'widgets.manage' } } as const;

  app.get(
    base,
    {
      schema: { params: WidgetParams, response: { 200: WidgetBranding } },
      config: { access: { kind: 'member', permission: 'widgets.read' } },
    },
    async (request) => {
      const { workspaceId, widgetId } = request.params;
      await requireWidget(app.db, workspaceId, widgetId);
      return presentBranding(widgetId, await findBranding(app.db, widgetId));
    },
  );

  app.put(
    base,
    {
      schema: { params: WidgetParams, body: WidgetBrandingBody, response: { 200: WidgetBranding } },
      config: manage,
    },
    async (request) => {
      const { workspaceId, widgetId } = request.params;
      const row = await updateBranding({ db: app.db, workspaceId, widgetId, body: request.body });
      await audit(app.db, request, 'widget.branding_updated', widgetId);
      return presentBranding(widgetId, row);
    },
  );

  app.put(
    `${base}/avatar`,
    {
      bodyLimit: BRANDING_LIMITS.maxAvatarBytes,
      schema: { params: WidgetParams, body: UploadBody, response: { 200: WidgetBranding } },
      config: { ...manage, upload: true },
    },
    async (request) => {
      const { workspaceId, widgetId } = request.params;
      const image = Buffer.from(request.body as Uint8Array);
      if (image.length === 0) throw new AppError('avatar_not_image');
      const row = await setBotAvatar({ db: app.db, workspaceId, widgetId, image });
      await audit(app.db, request, 'widget.avatar_set', widgetId);
      return presentBranding(widgetId, row);
    },
  );

  app.delete(
    `${base}/avatar`,
    { schema: { params: WidgetParams, body: EmptyBody, response: { 200: WidgetBranding } }, config: manage },
    async (request) => {
      const { workspaceId, widgetId } = request.params;
      const row = await setBotAvatar({ db: app.db, workspaceId, widgetId, image: null });
      await audit(app.db, request, 'widget.avatar_removed', widgetId);
      return presentBranding(widgetId, row);
    },
  );

  // The bot's picture, for the chat frame (and the dashboard's preview), both on Parley's origin. It
  // is as public as the widget's name; the bytes are Parley's own PNG, so nosniff and a sandboxing CSP
  // make sure that, opened directly, it is only ever an image.
  app.get(
    '/api/v1/widgets/:widgetId/avatar',
    {
      schema: {
        params: Type.Object({ widgetId: Id }),
        querystring: Type.Object({ v: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })) }),
        response: { 200: PNG_RESPONSE },
      },
      config: { access: { kind: 'public' } },
    },
    async (request, reply) => {
      const found = await findAvatar(app.db, request.params.widgetId);
      if (!found?.avatar) throw new AppError('avatar_not_found');
      return reply
        .header('content-type', 'image/png')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', `sandbox; default-src 'none'; frame-ancestors 'none'`)
        .send(Buffer.from(found.avatar));
    },
  );
}

/** The look is a setting like any other: on record, by what changed. */
function audit(db: Db, request: FastifyRequest, action: string, widgetId: string): Promise<void> {
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
      details: {},
    },
    request.log,
  );
}
