import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { NoContent } from '../../../protocol/responses.js';
import { RatingBody } from '../../../protocol/service.js';
import { typed } from '../../platform/http/typed-routes.js';
import { visitorOfRequest } from '../visitors/visitor-of-request.js';
import { rateQuery } from './rate-query.js';

const ConversationParams = Type.Object({ conversationId: Id });

/** The visitor rates the conversation a person resolved (1–5 and a comment), from the widget. */
export async function ratingRoute(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  app.post(
    '/api/v1/visitor/conversations/:conversationId/rating',
    {
      schema: { params: ConversationParams, body: RatingBody, response: { 204: NoContent } },
      config: { access: { kind: 'visitor' } },
    },
    async (request, reply) => {
      const visitor = await visitorOfRequest(app, request, request.body.widgetId);
      await rateQuery({
        db: app.db,
        vault: app.vault,
        visitor,
        conversationId: request.params.conversationId,
        score: request.body.score,
        ...(request.body.comment ? { comment: request.body.comment } : {}),
      });
      return reply.code(204).send();
    },
  );
}
