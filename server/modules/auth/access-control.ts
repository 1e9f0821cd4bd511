import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { authenticateSession } from './authenticate-session.js';
import { SESSION_COOKIE } from './create-session.js';
import { can } from './permissions.js';

/**
 * Enforces each route's declared `config.access` before validation and the handler run. A route
 * registered without one stops the server from starting: there is no default-open route.
 */
export function registerAccessControl(app: FastifyInstance): void {
  app.decorateRequest('agent', null);
  app.addHook('onRoute', (route) => {
    if (!route.config?.access) {
      throw new Error(
        `Route ${String(route.method)} ${route.url} declares no access policy (config.access).`,
      );
    }
  });
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    if (!access || access.kind === 'public' || access.kind === 'visitor' || access.kind === 'socket') return;
    const agent = await authenticateSession({
      db: app.db,
      config: app.config,
      token: request.cookies[SESSION_COOKIE],
    });
    request.agent = agent;
    if (access.kind === 'agent') return;
    const { workspaceId } = request.params as { workspaceId?: string };
    // Another workspace's resources answer exactly like ones that do not exist.
    if (workspaceId !== agent.workspaceId) throw new AppError('not_found');
    if (!can(agent.role, access.permission)) throw new AppError('forbidden');
  });
}
