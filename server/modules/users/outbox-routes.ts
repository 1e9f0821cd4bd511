import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { OutboxList, type OutboxMail } from '../../../protocol/users-api.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import { listOutboxMail } from './list-outbox-mail.js';

/** The embedded outbox: mail Parley would have sent, for administrators when no SMTP is configured. */
export async function outboxRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  app.get(
    '/api/v1/workspaces/:workspaceId/outbox',
    {
      schema: { params: Type.Object({ workspaceId: Id }), response: { 200: OutboxList } },
      config: { access: { kind: 'member', permission: 'users.manage' } },
    },
    async (request) => {
      if (!request.agent) throw new AppError('unauthenticated');
      const mail = await listOutboxMail({
        db: app.db,
        ring: app.vault.ring,
        workspaceId: request.params.workspaceId,
        reader: { kind: 'administrator', email: request.agent.email },
      });
      const items: OutboxMail[] = mail.map(({ workspaceId: _, ...item }) => item);
      return { mode: app.mailer.kind, items };
    },
  );
}
