import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EmptyBody, Id } from '../../../protocol/common.js';
import {
  BusinessHours,
  ExternalBotBody,
  ExternalBotSaved,
  ExternalBotSecret,
  ExternalBotSettings,
  Flow,
  FlowBody,
} from '../../../protocol/flows.js';
import { ItemsOf, NoContent } from '../../../protocol/responses.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
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

/** Flows, the external bot and business hours of a widget: administrators (widgets.manage) only. */
export async function flowRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId/widgets/:widgetId';
  const manage = { access: { kind: 'member', permission: 'widgets.manage' } } as const;
  const actor = (request: FastifyRequest & { params: Static<typeof WidgetParams> }) => {
    if (!request.agent) throw new AppError('unauthenticated');
    return {
      db: app.db,
      workspaceId: request.params.workspaceId,
      widgetId: request.params.widgetId,
      userId: request.agent.userId,
      ip: request.ip,
    };
  };

  app.get(
    `${base}/flows`,
    { schema: { params: WidgetParams, response: { 200: ItemsOf(Flow) } }, config: manage },
    async (request) => ({ items: await listFlows(actor(request)) }),
  );
  app.post(
    `${base}/flows`,
    { schema: { params: WidgetParams, body: FlowBody, response: { 201: Flow } }, config: manage },
    async (request, reply) => reply.code(201).send(await saveFlow({ ...actor(request), body: request.body })),
  );
  app.put(
    `${base}/flows/:flowId`,
    { schema: { params: FlowParams, body: FlowBody, response: { 200: Flow } }, config: manage },
    async (request) => saveFlow({ ...actor(request), flowId: request.params.flowId, body: request.body }),
  );
  app.delete(
    `${base}/flows/:flowId`,
    { schema: { params: FlowParams, body: EmptyBody, response: { 204: NoContent } }, config: manage },
    async (request, reply) => {
      await deleteFlow({ ...actor(request), flowId: request.params.flowId });
      return reply.code(204).send();
    },
  );

  app.get(
    `${base}/external-bot`,
    { schema: { params: WidgetParams, response: { 200: ExternalBotSettings } }, config: manage },
    async (request) => getExternalBot(actor(request)),
  );
  app.put(
    `${base}/external-bot`,
    {
      schema: { params: WidgetParams, body: ExternalBotBody, response: { 200: ExternalBotSaved } },
      config: manage,
    },
    async (request) =>
      updateExternalBot({
        ...actor(request),
        ring: app.vault.ring,
        config: app.config.externalBot,
        body: request.body,
      }),
  );
  app.post(
    `${base}/external-bot/secret`,
    {
      schema: { params: WidgetParams, body: EmptyBody, response: { 200: ExternalBotSecret } },
      config: manage,
    },
    async (request) => rotateExternalBotSecret({ ...actor(request), ring: app.vault.ring }),
  );

  app.get(
    `${base}/business-hours`,
    { schema: { params: WidgetParams, response: { 200: BusinessHours } }, config: manage },
    async (request) => getBusinessHours(actor(request)),
  );
  app.put(
    `${base}/business-hours`,
    {
      schema: { params: WidgetParams, body: BusinessHours, response: { 200: BusinessHours } },
      config: manage,
    },
    async (request) => updateBusinessHours({ ...actor(request), body: request.body }),
  );
}
