import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EmptyBody, Id } from '../../../protocol/common.js';
import { BusinessHours, ExternalBotBody, FlowBody } from '../../../protocol/flows.js';
import { AppError } from '../../errors.js';
import { deleteFlow } from './delete-flow.js';
import { listFlows } from './list-flows.js';
import { saveFlow } from './save-flow.js';
import {
  getBusinessHours,
  getExternalBot,
  rotateExternalBotSecret,
  updateBusinessHours,
  updateExternalBot,
} from './widget-bot-settings.js';

const WidgetParams = Type.Object({ workspaceId: Id, widgetId: Id });
const FlowParams = Type.Object({ workspaceId: Id, widgetId: Id, flowId: Id });
type WidgetParams = { workspaceId: string; widgetId: string };
type FlowParams = WidgetParams & { flowId: string };

/** Flows, the external bot and business hours of a widget: administrators (widgets.manage) only. */
export async function flowRoutes(app: FastifyInstance): Promise<void> {
  const base = '/api/v1/workspaces/:workspaceId/widgets/:widgetId';
  const manage = { access: { kind: 'member', permission: 'widgets.manage' } } as const;
  const actor = (request: FastifyRequest<{ Params: WidgetParams }>) => {
    if (!request.agent) throw new AppError('unauthenticated');
    return {
      db: app.db,
      workspaceId: request.params.workspaceId,
      widgetId: request.params.widgetId,
      userId: request.agent.userId,
      ip: request.ip,
    };
  };

  app.get<{ Params: WidgetParams }>(
    `${base}/flows`,
    { schema: { params: WidgetParams }, config: manage },
    async (request) => ({ items: await listFlows(actor(request)) }),
  );
  app.post<{ Params: WidgetParams; Body: FlowBody }>(
    `${base}/flows`,
    { schema: { params: WidgetParams, body: FlowBody }, config: manage },
    async (request, reply) => reply.code(201).send(await saveFlow({ ...actor(request), body: request.body })),
  );
  app.put<{ Params: FlowParams; Body: FlowBody }>(
    `${base}/flows/:flowId`,
    { schema: { params: FlowParams, body: FlowBody }, config: manage },
    async (request) => saveFlow({ ...actor(request), flowId: request.params.flowId, body: request.body }),
  );
  app.delete<{ Params: FlowParams }>(
    `${base}/flows/:flowId`,
    { schema: { params: FlowParams, body: EmptyBody }, config: manage },
    async (request, reply) => {
      await deleteFlow({ ...actor(request), flowId: request.params.flowId });
      return reply.code(204).send();
    },
  );

  app.get<{ Params: WidgetParams }>(
    `${base}/external-bot`,
    { schema: { params: WidgetParams }, config: manage },
    async (request) => getExternalBot(actor(request)),
  );
  app.put<{ Params: WidgetParams; Body: ExternalBotBody }>(
    `${base}/external-bot`,
    { schema: { params: WidgetParams, body: ExternalBotBody }, config: manage },
    async (request) =>
      updateExternalBot({
        ...actor(request),
        ring: app.vault.ring,
        config: app.config.externalBot,
        body: request.body,
      }),
  );
  app.post<{ Params: WidgetParams }>(
    `${base}/external-bot/secret`,
    { schema: { params: WidgetParams, body: EmptyBody }, config: manage },
    async (request) => rotateExternalBotSecret({ ...actor(request), ring: app.vault.ring }),
  );

  app.get<{ Params: WidgetParams }>(
    `${base}/business-hours`,
    { schema: { params: WidgetParams }, config: manage },
    async (request) => getBusinessHours(actor(request)),
  );
  app.put<{ Params: WidgetParams; Body: BusinessHours }>(
    `${base}/business-hours`,
    { schema: { params: WidgetParams, body: BusinessHours }, config: manage },
    async (request) => updateBusinessHours({ ...actor(request), body: request.body }),
  );
}
