import type { FastifyInstance } from 'fastify';
import { VisitorSessionBody } from '../../../protocol/api.js';
import { bearerToken } from './credential-check.js';
import { issueTicket } from './issue-ticket.js';
import { startVisitorSession } from './start-visitor-session.js';

export async function visitorRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: VisitorSessionBody }>(
    '/api/v1/visitor/sessions',
    { schema: { body: VisitorSessionBody }, config: { access: { kind: 'visitor' } } },
    async (request, reply) => {
      const session = await startVisitorSession({
        db: app.db,
        pubsub: app.pubsub,
        config: app.config,
        body: request.body,
        requestOrigin: request.headers.origin,
      });
      return reply.code(201).send(session);
    },
  );

  app.post('/api/v1/visitor/tickets', { config: { access: { kind: 'visitor' } } }, async (request, reply) => {
    const ticket = await issueTicket({
      db: app.db,
      config: app.config,
      credential: bearerToken(request.headers.authorization),
      requestOrigin: request.headers.origin,
    });
    return reply.code(201).send(ticket);
  });
}
