import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { NoContent } from '../../../protocol/responses.js';
import { VisitorPageBody } from '../../../protocol/service.js';
import { typed } from '../../platform/http/typed-routes.js';
import { visitorOfRequest } from '../visitors/visitor-of-request.js';
import { recordVisitorPage } from './record-visitor-page.js';

const ConversationParams = Type.Object({ conversationId: Id });

/** The widget reports the page the visitor is on (and the one that sent them there). */
export async function pageRoute(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  app.put(
    '/api/v1/visitor/conversations/:conversationId/page',
    {
      schema: { params: ConversationParams, body: VisitorPageBody, response: { 204: NoContent } },
      config: { access: { kind: 'visitor' } },
    },
    async (request, reply) => {
      const visitor = await visitorOfRequest(app, request, request.body.widgetId);
      await recordVisitorPage({
        db: app.db,
        vault: app.vault,
        visitor,
        conversationId: request.params.conversationId,
        pageUrl: request.body.pageUrl,
        referrer: request.body.referrer ?? null,
      });
      return reply.code(204).send();
    },
  );
}
