import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { SecurityAlertList, SecurityAlertsQuery } from '../../../protocol/security-alerts.js';
import { typed } from '../../platform/http/typed-routes.js';
import { listSecurityAlerts } from './list-security-alerts.js';

/** The security alerts screen: administrators only (security.manage), so also behind the allow-list. */
export async function securityAlertRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  app.get(
    '/api/v1/workspaces/:workspaceId/security-alerts',
    {
      schema: {
        params: Type.Object({ workspaceId: Id }),
        querystring: SecurityAlertsQuery,
        response: { 200: SecurityAlertList },
      },
      config: { access: { kind: 'member', permission: 'security.manage' } },
    },
    async (request) => ({
      items: await listSecurityAlerts({
        db: app.db,
        workspaceId: request.params.workspaceId,
        limit: request.query.limit ?? 50,
      }),
    }),
  );
}
