import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { PrechatAnswersBody, PrechatSettings, PrechatSettingsBody } from '../../../protocol/prechat.js';
import { NoContent } from '../../../protocol/responses.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { visitorOfRequest } from '../visitors/visitor-of-request.js';
import { answerPrechat, presentPrechat, updatePrechat } from './prechat.js';
import { findPrechat } from './prechat.repository.js';
import { requireWidget } from './require-widget.js';

const WidgetParams = Type.Object({ workspaceId: Id, widgetId: Id });

/** The pre-chat form: administrators set it; the visitor's widget sends what was filled in. */
export async function prechatRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId/widgets/:widgetId/prechat';

  app.get(
    base,
    {
      schema: { params: WidgetParams, response: { 200: PrechatSettings } },
      config: { access: { kind: 'member', permission: 'widgets.read' } },
    },
    async (request) => {
      const { workspaceId, widgetId } = request.params;
      await requireWidget(app.db, workspaceId, widgetId);
      return presentPrechat(widgetId, await findPrechat(app.db, widgetId));
    },
  );

  app.put(
    base,
    {
      schema: { params: WidgetParams, body: PrechatSettingsBody, response: { 200: PrechatSettings } },
      config: { access: { kind: 'member', permission: 'widgets.manage' } },
    },
    async (request) => {
      const { workspaceId, widgetId } = request.params;
      const settings = await updatePrechat({ db: app.db, workspaceId, widgetId, body: request.body });
      await audit(request, 'widget.prechat_updated', widgetId);
      return settings;
    },
  );

  app.post(
    '/api/v1/visitor/prechat',
    {
      schema: { body: PrechatAnswersBody, response: { 204: NoContent } },
      config: { access: { kind: 'visitor' } },
    },
    async (request, reply) => {
      const visitor = await visitorOfRequest(app, request, request.body.widgetId);
      // A credential speaks for its own widget only: answers never cross to another one's form.
      if (visitor.widgetId !== request.body.widgetId) throw new AppError('credential_invalid');
      await answerPrechat({ db: app.db, vault: app.vault, visitor, body: request.body });
      return reply.code(204).send();
    },
  );

  /** What the form asks is a setting like any other: on record. */
  function audit(request: FastifyRequest, action: string, widgetId: string): Promise<void> {
    const agent = request.agent;
    if (!agent) throw new AppError('unauthenticated');
    return recordAuditEvent(
      app.db,
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
}
