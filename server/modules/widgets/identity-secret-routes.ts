import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EmptyBody, Id } from '../../../protocol/common.js';
import { WidgetIdentitySecret } from '../../../protocol/identity.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import { revealIdentitySecret, rotateIdentitySecret } from './identity-secret.js';

const WidgetParams = Type.Object({ workspaceId: Id, widgetId: Id });

/** The identity-verification secret of a widget: administrators only, never through an API token. */
export async function identitySecretRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId/widgets/:widgetId/identity-secret';
  const manage = { access: { kind: 'member', permission: 'widgets.manage' } } as const;
  const options = (request: FastifyRequest & { params: Static<typeof WidgetParams> }) => {
    if (!request.agent) throw new AppError('unauthenticated');
    return {
      db: app.db,
      ring: app.vault.ring,
      workspaceId: request.params.workspaceId,
      widgetId: request.params.widgetId,
      userId: request.agent.userId,
      ip: request.ip,
      log: request.log,
    };
  };

  app.get(
    base,
    { schema: { params: WidgetParams, response: { 200: WidgetIdentitySecret } }, config: manage },
    async (request) => revealIdentitySecret(options(request)),
  );

  app.post(
    `${base}/rotate`,
    {
      schema: { params: WidgetParams, body: EmptyBody, response: { 200: WidgetIdentitySecret } },
      config: manage,
    },
    async (request) => rotateIdentitySecret(options(request)),
  );
}
