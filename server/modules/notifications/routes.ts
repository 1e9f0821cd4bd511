import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { NotificationSettings } from '../../../protocol/receipts.js';
import type { Agent } from '../auth/agent.js';
import { getNotificationSettings, setNotificationSettings } from './notification-settings.js';

const Params = Type.Object({ workspaceId: Id });

/** The signed-in agent's own notification settings; nobody reads or sets another's. */
export async function notificationRoutes(app: FastifyInstance): Promise<void> {
  const path = '/api/v1/workspaces/:workspaceId/notification-settings';
  const mine = { access: { kind: 'member', permission: 'conversations.read' } } as const;

  app.get<{ Params: { workspaceId: string } }>(
    path,
    { schema: { params: Params, response: { 200: NotificationSettings } }, config: mine },
    async (request) => getNotificationSettings(app.db, (request.agent as Agent).userId),
  );

  app.put<{ Params: { workspaceId: string }; Body: NotificationSettings }>(
    path,
    {
      schema: { params: Params, body: NotificationSettings, response: { 200: NotificationSettings } },
      config: mine,
    },
    async (request) => {
      const agent = request.agent as Agent;
      return setNotificationSettings(
        app.db,
        { userId: agent.userId, workspaceId: request.params.workspaceId },
        request.body,
      );
    },
  );
}
