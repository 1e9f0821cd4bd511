import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { apiTokenFromHeader } from './api-token-header.js';
import { HEALTH_PATHS } from './health-routes.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * DNS-rebinding and CSRF defences, run before authentication:
 * - the Host header must be Parley's public host (navigations to another name are redirected);
 * - a state-changing request must be JSON and come from Parley's own origin. Visitor endpoints
 *   (`access.kind === 'visitor'`) may also come from a widget's allowed origins; their commands check
 *   that against the widget, since only they know which widget is meant.
 */
export function registerOriginGuard(app: FastifyInstance, config: Config): void {
  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host?.toLowerCase();
    if (host !== config.publicHost.toLowerCase() && !HEALTH_PATHS.has(request.url)) {
      if (request.method === 'GET' && request.headers.accept?.includes('text/html')) {
        return reply.redirect(config.publicUrl + request.url, 308);
      }
      throw new AppError('host_not_allowed');
    }
    if (!STATE_CHANGING.has(request.method)) return;
    const type = request.headers['content-type'] ?? '';
    // An OpenID provider's back-channel logout: a server-to-server form post whose signed token is
    // its own credential; the route uses no cookie, so a forged cross-site post has nothing to ride on.
    if (
      request.routeOptions.config?.formPost === true &&
      /^application\/x-www-form-urlencoded(;|$)/i.test(type)
    )
      return;
    // A messaging platform's webhook (channels): server-to-server JSON whose signature or secret
    // token is its own credential; the route reads no cookie, so a forged post has nothing to ride on.
    // It carries neither a cookie nor an Origin: a browser's request, which has them, is checked below.
    if (
      request.routeOptions.config?.platformWebhook === true &&
      /^application\/json(;|$)/i.test(type) &&
      request.headers.cookie === undefined &&
      request.headers.origin === undefined
    )
      return;
    // An upload sends raw bytes: application/octet-stream, which no form can send cross-site either.
    const upload = request.routeOptions.config?.upload === true;
    if (!/^application\/json(;|$)/i.test(type) && !(upload && /^application\/octet-stream$/i.test(type)))
      throw new AppError('unsupported_media_type');
    if (request.routeOptions.config?.access?.kind === 'visitor') {
      if (request.headers['sec-fetch-site'] === 'cross-site' && !request.headers.origin) {
        throw new AppError('cross_origin_refused');
      }
      return;
    }
    if (isTokenCall(request)) return;
    if (!isSameOrigin(request, config)) throw new AppError('cross_origin_refused');
  });
}

/**
 * A site backend calling with an API token and nothing a browser would attach by itself (no cookie,
 * no Origin): there is no ambient credential for a forged cross-site request to ride on, so the
 * Origin check has nothing to protect. Anything carrying a cookie is checked as before.
 */
function isTokenCall(request: FastifyRequest): boolean {
  return (
    apiTokenFromHeader(request.headers.authorization) !== undefined &&
    request.headers.cookie === undefined &&
    request.headers.origin === undefined
  );
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes a file as its body (application/octet-stream) instead of JSON. */
    upload?: boolean;
    /** The route takes an application/x-www-form-urlencoded body from another server (no cookie used). */
    formPost?: boolean;
    /** The route takes a messaging platform's signed JSON webhook from its servers (no cookie used). */
    platformWebhook?: boolean;
  }
}

export function isSameOrigin(request: FastifyRequest, config: Config): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) return origin === config.publicOrigin;
  return request.headers['sec-fetch-site'] === 'same-origin';
}
