import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AttachmentSettings, AttachmentSettingsBody } from '../../../protocol/attachments.js';
import { Id } from '../../../protocol/common.js';
import { typed } from '../../platform/http/typed-routes.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { getAttachmentSettings, setAttachmentSettings } from './attachment-settings.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });

/** The kinds of file a workspace accepts: a security setting, so administrators' and audited. */
export async function attachmentSettingsRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const path = '/api/v1/workspaces/:workspaceId/attachment-settings';
  const manage = { access: { kind: 'member', permission: 'security.manage' } } as const;

  app.get(
    path,
    { schema: { params: WorkspaceParams, response: { 200: AttachmentSettings } }, config: manage },
    async (request) => getAttachmentSettings(app.db, request.params.workspaceId),
  );

  app.put(
    path,
    {
      schema: {
        params: WorkspaceParams,
        body: AttachmentSettingsBody,
        response: { 200: AttachmentSettings },
      },
      config: manage,
    },
    async (request) => {
      const { workspaceId } = request.params;
      return setAttachmentSettings({
        db: app.db,
        workspaceId,
        allowedKinds: request.body.allowedKinds,
        audit: (trx) =>
          recordAuditEvent(
            trx,
            {
              workspaceId,
              actor: request.agent ? { type: 'user', id: request.agent.userId } : { type: 'system' },
              action: 'attachments.settings_changed',
              target: { type: 'workspace', id: workspaceId },
              ip: request.ip,
            },
            request.log,
          ),
      });
    },
  );
}
