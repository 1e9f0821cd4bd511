import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import type { OutboxMail } from '../../../protocol/users-api.js';
import { nowIso } from '../../platform/clock.js';
import { listOutbox } from '../../platform/mail/outbox.repository.js';

/** The embedded outbox: mail Parley would have sent, for administrators when no SMTP is configured. */
export async function outboxRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { workspaceId: string } }>(
    '/api/v1/workspaces/:workspaceId/outbox',
    {
      schema: { params: Type.Object({ workspaceId: Id }) },
      config: { access: { kind: 'member', permission: 'users.manage' } },
    },
    async (request) => {
      const rows = await listOutbox(app.db, request.params.workspaceId, nowIso());
      const items: OutboxMail[] = rows.map((r) => ({
        id: r.id,
        to: r.to_address,
        subject: r.subject,
        body: r.body,
        createdAt: r.created_at,
        expiresAt: r.expires_at,
      }));
      return { mode: app.mailer.kind, items };
    },
  );
}
