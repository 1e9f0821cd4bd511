import type { FastifyInstance } from 'fastify';
import { TicketBody, VisitorSessionBody } from '../../../protocol/api.js';
import { messageDeps } from '../conversations/message-plugin.js';
import { bearerToken } from './credential-check.js';
import { issueTicket } from './issue-ticket.js';
import { startVisitorSession } from './start-visitor-session.js';
import { visitorCookieName, visitorCookieOptions } from './visitor-cookie.js';

export async function visitorRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: VisitorSessionBody }>(
    '/api/v1/visitor/sessions',
    { schema: { body: VisitorSessionBody }, config: { access: { kind: 'visitor' } } },
    async (request, reply) => {
      const cookieName = visitorCookieName(request.body.widgetId);
      const cookieCredential = request.cookies[cookieName];
      const session = await startVisitorSession({
        ...messageDeps(app),
        config: app.config,
        body: request.body,
        requestOrigin: request.headers.origin,
        ...(cookieCredential ? { cookieCredential } : {}),
      });
      reply.setCookie(cookieName, session.credential, visitorCookieOptions(session.credentialExpiresAt));
      return reply.code(201).send(session);
    },
  );

  app.post<{ Body: TicketBody }>(
    '/api/v1/visitor/tickets',
    { schema: { body: TicketBody }, config: { access: { kind: 'visitor' } } },
    async (request, reply) => {
      const bearer = bearerToken(request.headers.authorization);
      const widgetId = request.body.widgetId;
      const credential = bearer ?? (widgetId ? request.cookies[visitorCookieName(widgetId)] : undefined);
      const ticket = await issueTicket({
        db: app.db,
        config: app.config,
        credential,
        ...(bearer || !widgetId ? {} : { widgetId }),
        requestOrigin: request.headers.origin,
      });
      return reply.code(201).send(ticket);
    },
  );
}
