import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { ResolutionSettings, ResolutionSettingsBody } from '../../../protocol/lifecycle.js';
import { nowIso } from '../../platform/clock.js';
import { ensureResolutionDefaults } from './ensure-resolution-defaults.js';
import { setCodeRequired } from './resolution-settings.repository.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
type WorkspaceParams = Static<typeof WorkspaceParams>;

/** Whether resolving needs a resolution code: read by every agent (the resolve dialog), set by admins. */
export async function resolutionSettingsRoutes(app: FastifyInstance): Promise<void> {
  const url = '/api/v1/workspaces/:workspaceId/resolution-settings';
  const read = { access: { kind: 'member', permission: 'conversations.read' } } as const;
  const manage = { access: { kind: 'member', permission: 'service.manage' } } as const;
  const response = { 200: ResolutionSettings };

  app.get<{ Params: WorkspaceParams }>(
    url,
    { schema: { params: WorkspaceParams, response }, config: read },
    (request) => ensureResolutionDefaults(app.db, request.params.workspaceId),
  );

  app.put<{ Params: WorkspaceParams; Body: Static<typeof ResolutionSettingsBody> }>(
    url,
    { schema: { params: WorkspaceParams, body: ResolutionSettingsBody, response }, config: manage },
    async (request) => {
      await ensureResolutionDefaults(app.db, request.params.workspaceId);
      await setCodeRequired(app.db, request.params.workspaceId, request.body.codeRequired, nowIso());
      return { codeRequired: request.body.codeRequired };
    },
  );
}
