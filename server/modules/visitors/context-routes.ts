import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { VisitorContext } from '../../../protocol/visitor-context.js';
import { typed } from '../../platform/http/typed-routes.js';
import type { Agent } from '../auth/agent.js';
import { getVisitorContext } from './get-visitor-context.js';

const ConversationParams = Type.Object({ workspaceId: Id, conversationId: Id });

/** The visitor context panel beside a conversation (docs/PROTOCOL.md §2.15). */
export async function visitorContextRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  app.get(
    '/api/v1/workspaces/:workspaceId/conversations/:conversationId/context',
    {
      schema: { params: ConversationParams, response: { 200: VisitorContext } },
      config: { access: { kind: 'member', permission: 'conversations.read' } },
    },
    async (request) =>
      getVisitorContext({
        db: app.db,
        vault: app.vault,
        agent: request.agent as Agent,
        ...request.params,
      }),
  );
}
