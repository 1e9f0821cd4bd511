import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EmptyBody, Id } from '../../../protocol/common.js';
import { AppError } from '../../errors.js';
import { revealIdentitySecret, rotateIdentitySecret } from './identity-secret.js';

const WidgetParams = Type.Object({ workspaceId: Id, widgetId: Id });
type WidgetParams = { workspaceId: string; widgetId: string };

/** The identity-verification secret of a widget: administrators only, never through an API token. */
export async function identitySecretRoutes(app: FastifyInstance): Promise<void> {
  const base = '/api/v1/workspaces/:workspaceId/widgets/:widgetId/identity-secret';
  const manage = { access: { kind: 'member', permission: 'widgets.manage' } } as const;
  const options = (request: FastifyRequest<{ Params: WidgetParams }>) => {
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

  app.get<{ Params: WidgetParams }>(
    base,
    { schema: { params: WidgetParams }, config: manage },
    async (request) => revealIdentitySecret(options(request)),
  );

  app.post<{ Params: WidgetParams }>(
    `${base}/rotate`,
    { schema: { params: WidgetParams, body: EmptyBody }, config: manage },
    async (request) => rotateIdentitySecret(options(request)),
  );
}
