import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';

export type PageKind = 'api' | 'dashboard' | 'widget-frame' | 'widget-script' | 'asset';

/** CSPs never allow inline script or style; the widget frame allows only its widget's origins as ancestors. */
export function contentSecurityPolicy(
  config: Config,
  kind: PageKind,
  frameAncestors: readonly string[] = [],
): string {
  const wsOrigin = config.publicOrigin.replace(/^http/, 'ws');
  const common = [`base-uri 'none'`, `object-src 'none'`];
  if (kind === 'dashboard') {
    return [
      `default-src 'self'`,
      `script-src 'self'`,
      `style-src 'self'`,
      `img-src 'self' data:`,
      `connect-src 'self' ${wsOrigin}`,
      `font-src 'self'`,
      `form-action 'self'`,
      `frame-ancestors 'none'`,
      ...common,
    ].join('; ');
  }
  if (kind === 'widget-frame') {
    const ancestors = frameAncestors.length > 0 ? frameAncestors.join(' ') : `'none'`;
    return [
      `default-src 'none'`,
      `script-src 'self'`,
      `style-src 'self'`,
      `img-src 'self' data:`,
      `connect-src 'self' ${wsOrigin}`,
      `form-action 'none'`,
      `frame-ancestors ${ancestors}`,
      ...common,
    ].join('; ');
  }
  return [`default-src 'none'`, `frame-ancestors 'none'`, ...common].join('; ');
}

/** No page of Parley's uses these powerful features, but the dashboard and a widget frame whose calls are on. */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';
/** A widget frame with calls on: camera and microphone for the frame's own origin, nothing else. */
export const CALLS_PERMISSIONS_POLICY =
  'camera=(self), microphone=(self), geolocation=(), payment=(), usb=()';
/**
 * The dashboard's pages: an agent's calls use the camera, the microphone and screen sharing, for the
 * dashboard's own origin only (it is never framed: frame-ancestors 'none').
 */
export const DASHBOARD_PERMISSIONS_POLICY =
  'camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()';
/** The policies a route may set for itself; every other response gets PERMISSIONS_POLICY. */
const OWN_POLICIES: ReadonlySet<unknown> = new Set([CALLS_PERMISSIONS_POLICY, DASHBOARD_PERMISSIONS_POLICY]);

/** Headers every response carries, whatever it is; also written on raw responses (client-error.ts). */
export function fixedHeaders(config: Config): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'permissions-policy': PERMISSIONS_POLICY,
    'x-dns-prefetch-control': 'off',
    ...(config.publicOrigin.startsWith('https:')
      ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }
      : {}),
  };
}

/** Baseline headers on every response; routes that serve pages set their own CSP and frame policy. */
export function registerSecurityHeaders(app: FastifyInstance, config: Config): void {
  const apiCsp = contentSecurityPolicy(config, 'api');
  const fixed = fixedHeaders(config);
  app.addHook('onSend', async (request, reply, payload) => {
    setIfAbsent(reply, 'content-security-policy', apiCsp);
    // Legacy framing header for old browsers, except on the widget frame, which allows its own ancestors.
    if (String(reply.getHeader('content-security-policy')).includes(`frame-ancestors 'none'`)) {
      reply.header('x-frame-options', 'DENY');
    }
    setIfAbsent(reply, 'cross-origin-resource-policy', 'same-origin');
    setIfAbsent(reply, 'cross-origin-opener-policy', 'same-origin');
    // The dashboard's pages and the widget frame of a widget with calls on set their own
    // Permissions-Policy; nothing else does.
    const own = reply.getHeader('permissions-policy');
    reply.headers(fixed);
    if (OWN_POLICIES.has(own)) reply.header('permissions-policy', String(own));
    // Only static files, which set their own, may be cached; API answers never, whatever a route said.
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    else setIfAbsent(reply, 'cache-control', 'no-store');
    return payload;
  });
}

function setIfAbsent(reply: FastifyReply, name: string, value: string): void {
  if (!reply.hasHeader(name)) reply.header(name, value);
}
