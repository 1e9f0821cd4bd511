import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import type { Agent } from '../auth/agent.js';
import { getVisitorContext } from './get-visitor-context.js';

const ConversationParams = Type.Object({ workspaceId: Id, conversationId: Id });

/** The visitor context panel beside a conversation (docs/PROTOCOL.md §2.15). */
export async function visitorContextRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof ConversationParams> }>(
    '/api/v1/workspaces/:workspaceId/conversations/:conversationId/context',
    {
      schema: { params: ConversationParams },
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
