import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { SearchQuery, SearchResults } from '../../../protocol/search.js';
import { AppError } from '../../errors.js';
import { scopeOfRequest } from '../handoff/scope.js';
import { viewerOf } from '../privacy/views.js';
import { searchConversations } from './search-conversations.js';
import type { SearchIndexer } from './search-indexer.js';

/** A search takes at most this many batches of the backlog first (a burst larger than that is rare). */
const CATCH_UP_BATCHES = 5;

const WorkspaceParams = Type.Object({ workspaceId: Id });

/** Conversation search: whoever may read conversations, within what they may read. */
export async function searchRoutes(app: FastifyInstance, o: { indexer: SearchIndexer }): Promise<void> {
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
      // What was acked a moment ago may still wait in the backlog: it is indexed first, so a search
      // finds every acked message. A failure here only leaves the newest messages for later.
      await o.indexer
        .flush(CATCH_UP_BATCHES)
        .catch((err: unknown) =>
          request.log.warn({ err: { message: (err as Error).message } }, 'search catch-up failed'),
        );
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
