import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { PresenceState } from '../../../protocol/service.js';
import type { Agent } from '../auth/agent.js';
import { getPresence } from './presence.js';

const Params = Type.Object({ workspaceId: Id });

/**
 * The signed-in agent's own presence as the server holds it, so the dashboard shows the truth after a
 * reload instead of assuming "online" (and the assignment rules agree with what the agent sees).
 */
export async function presenceRoute(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { workspaceId: string } }>(
    '/api/v1/workspaces/:workspaceId/presence',
    {
      schema: { params: Params, response: { 200: PresenceState } },
      config: { access: { kind: 'member', permission: 'conversations.reply' } },
    },
    async (request) => ({ status: await getPresence(app.db, (request.agent as Agent).userId) }),
  );
}
