import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { NoContent } from '../../../protocol/responses.js';
import {
  SecurityAlertList,
  SecurityAlertsQuery,
  SecurityAlertsSeenBody,
} from '../../../protocol/security-alerts.js';
import { typed } from '../../platform/http/typed-routes.js';
import type { Agent } from '../auth/agent.js';
import { listSecurityAlerts } from './list-security-alerts.js';
import { markAlertsSeen } from './mark-alerts-seen.js';

/** The security alerts screen: administrators only (security.manage), so also behind the allow-list. */
export async function securityAlertRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const params = Type.Object({ workspaceId: Id });
  const access = { access: { kind: 'member', permission: 'security.manage' } } as const;
  app.get(
    '/api/v1/workspaces/:workspaceId/security-alerts',
    {
      schema: {
        params,
        querystring: SecurityAlertsQuery,
        response: { 200: SecurityAlertList },
      },
      config: access,
    },
    async (request) =>
      listSecurityAlerts({
        db: app.db,
        workspaceId: request.params.workspaceId,
        userId: (request.agent as Agent).userId,
        limit: request.query.limit ?? 50,
      }),
  );
  app.put(
    '/api/v1/workspaces/:workspaceId/security-alerts/seen',
    { schema: { params, body: SecurityAlertsSeenBody, response: { 204: NoContent } }, config: access },
    async (request, reply) => {
      await markAlertsSeen({
        db: app.db,
        workspaceId: request.params.workspaceId,
        userId: (request.agent as Agent).userId,
        through: request.body.through,
      });
      return reply.code(204).send();
    },
  );
}
