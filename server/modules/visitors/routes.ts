import type { FastifyInstance } from 'fastify';
import { Ticket, TicketBody, VisitorSession, VisitorSessionBody } from '../../../protocol/api.js';
import { typed } from '../../platform/http/typed-routes.js';
import { messageDeps } from '../conversations/message-plugin.js';
import { bearerToken } from './credential-check.js';
import { issueTicket } from './issue-ticket.js';
import { startVisitorSession } from './start-visitor-session.js';
import { visitorCookieName, visitorCookieOptions } from './visitor-cookie.js';

export async function visitorRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  app.post(
    '/api/v1/visitor/sessions',
    {
      schema: { body: VisitorSessionBody, response: { 201: VisitorSession } },
      config: { access: { kind: 'visitor' } },
    },
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

  app.post(
    '/api/v1/visitor/tickets',
    { schema: { body: TicketBody, response: { 201: Ticket } }, config: { access: { kind: 'visitor' } } },
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
