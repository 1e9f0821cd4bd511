import type { FastifyInstance, FastifySchema } from 'fastify';
import { can } from '../../../protocol/permissions.js';
import { AppError } from '../../errors.js';
import type { Access } from '../../platform/http/access.js';
import { apiTokenFromHeader } from '../../platform/http/api-token-header.js';
import { createClientCertificateReader } from '../../platform/http/client-certificate.js';
import { admitApiToken } from '../api-tokens/admit-api-token.js';
import type { Agent } from './agent.js';
import { authenticateSession } from './authenticate-session.js';
import { SESSION_COOKIE } from './create-session.js';

/**
 * Enforces each route's declared `config.access` before validation and the handler run. A route
 * registered without one stops the server from starting: there is no default-open route.
 */
export function registerAccessControl(app: FastifyInstance): void {
  app.decorateRequest('agent', null);
  app.decorateRequest('apiToken', null);
  const catalog: RouteEntry[] = [];
  const clientCertificate = createClientCertificateReader(app.config);
  app.decorate('routeCatalog', catalog);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access) {
      throw new Error(
        `Route ${String(route.method)} ${route.url} declares no access policy (config.access).`,
      );
    }
    for (const method of [route.method].flat())
      catalog.push({ method: String(method), url: route.url, access, schema: route.schema ?? {} });
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    const token = apiTokenFromHeader(request.headers.authorization);
    if (token !== undefined && access) {
      // A token is judged on its own, never together with a cookie, and only where a route names a scope.
      request.apiToken = await admitApiToken({
        db: app.db,
        access,
        params: request.params,
        token,
        clientCert: clientCertificate(request),
        ip: request.ip,
      });
      return;
    }
    if (!access || access.kind === 'public' || access.kind === 'visitor' || access.kind === 'socket') return;
    const agent = await authenticateSession({
      db: app.db,
      config: app.config,
      token: request.cookies[SESSION_COOKIE],
    });
    request.agent = agent;
    if (access.kind === 'signed-in') return;
    if (agent.stage === 'mfa') throw new AppError('mfa_required');
    if (agent.stage === 'enroll') throw new AppError('mfa_enrollment_required');
    if (access.kind === 'agent') return;
    const { workspaceId } = request.params as { workspaceId?: string };
    // Another workspace's resources answer exactly like ones that do not exist.
    if (workspaceId !== agent.workspaceId) throw new AppError('not_found');
    if (!can(agent.role, access.permission)) throw new AppError('forbidden');
  });
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
  /** The route's declared input schemas (body, querystring, params), for the input tests. */
  schema: FastifySchema;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in agent, set by access control; null for visitors, tokens and public routes. */
    agent: Agent | null;
  }
  interface FastifyInstance {
    /** Every route with its declared access policy, for the authorization matrix test. */
    routeCatalog: readonly RouteEntry[];
  }
}
