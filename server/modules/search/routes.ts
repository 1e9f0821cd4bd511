import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { SearchQuery, SearchResults } from '../../../protocol/search.js';
import { AppError } from '../../errors.js';
import { scopeOfRequest } from '../handoff/scope.js';
import { viewerOf } from '../privacy/views.js';
import { searchConversations } from './search-conversations.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });

/** Conversation search: whoever may read conversations, within what they may read. */
export async function searchRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof WorkspaceParams>; Querystring: SearchQuery }>(
    '/api/v1/workspaces/:workspaceId/search/conversations',
    {
      schema: { params: WorkspaceParams, querystring: SearchQuery, response: { 200: SearchResults } },
      config: {
        access: { kind: 'member', permission: 'conversations.read', tokenScope: 'conversations:read' },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      if (from && to && from > to)
        throw new AppError('invalid_request', { details: ['from must not be after to'] });
      const items = await searchConversations({
        db: app.db,
        vault: app.vault,
        workspaceId: request.params.workspaceId,
        scope: await scopeOfRequest(app.db, request, request.params.workspaceId),
        viewer: viewerOf(request.agent, request.apiToken),
        query: request.query,
      });
      return { items };
    },
  );
}
