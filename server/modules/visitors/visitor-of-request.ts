import type { FastifyInstance } from 'fastify';
import { authenticateVisitor } from './authenticate-visitor.js';
import { bearerToken } from './credential-check.js';
import { visitorCookieName } from './visitor-cookie.js';

/**
 * The visitor behind a request from the widget: the credential in the Authorization header, or the
 * widget's visitor cookie when the request names the widget (an iframe without script access to it).
 */
export function visitorOfRequest(
  app: FastifyInstance,
  request: {
    headers: { authorization?: string; origin?: string };
    cookies: Record<string, string | undefined>;
  },
  widgetId?: string,
) {
  const bearer = bearerToken(request.headers.authorization);
  return authenticateVisitor({
    db: app.db,
    config: app.config,
    credential: bearer ?? (widgetId ? request.cookies[visitorCookieName(widgetId)] : undefined),
    ...(bearer || !widgetId ? {} : { widgetId }),
    requestOrigin: request.headers.origin,
  });
}
