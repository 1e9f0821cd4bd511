import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { ReadState } from '../../../protocol/receipts.js';
import type { Agent } from '../auth/agent.js';
import { scopeOfAgent } from '../handoff/scope.js';
import { listReadStateOfAgent } from './read-cursor.repository.js';

const Params = Type.Object({ workspaceId: Id });
/** More than an inbox shows at once; the total still counts them all. */
const MAX_ITEMS = 500;

/**
 * The signed-in agent's unread counts, from their persisted cursors: the same on every device, and
 * a read on one clears it on the others. Only what their scope reaches, like the inbox itself.
 */
export async function readStateRoute(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { workspaceId: string } }>(
    '/api/v1/workspaces/:workspaceId/read-state',
    {
      schema: { params: Params, response: { 200: ReadState } },
      config: { access: { kind: 'member', permission: 'conversations.read' } },
    },
    async (request) => {
      const agent = request.agent as Agent;
      const { rows, unreadConversations } = await listReadStateOfAgent(app.db, {
        workspaceId: request.params.workspaceId,
        userId: agent.userId,
        scope: await scopeOfAgent(app.db, agent),
        limit: MAX_ITEMS,
      });
      return {
        items: rows.map((r) => ({
          conversationId: r.id,
          lastSeq: r.lastSeq,
          readSeq: r.readSeq,
          unread: r.lastSeq - r.readSeq,
        })),
        unreadConversations,
      };
    },
  );
}
