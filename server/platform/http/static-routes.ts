import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { contentSecurityPolicy, DASHBOARD_PERMISSIONS_POLICY } from './security-headers.js';
import { loadStaticDir, packageRoot, type StaticFile } from './static-files.js';

export interface BuiltAssets {
  dashboard: Map<string, StaticFile>;
  widget: Map<string, StaticFile>;
}

export function loadBuiltAssets(root = join(packageRoot(), 'dist')): BuiltAssets {
  return { dashboard: loadStaticDir(join(root, 'dashboard')), widget: loadStaticDir(join(root, 'widget')) };
}

export function sendStatic(
  request: FastifyRequest,
  reply: FastifyReply,
  file: StaticFile,
  cacheControl: string,
) {
  reply.header('content-type', file.type).header('etag', file.etag).header('cache-control', cacheControl);
  reply.header('vary', 'Accept-Encoding');
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  const gzip = file.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  if (gzip) reply.header('content-encoding', 'gzip');
  return reply.send(gzip ? file.gzip : file.body);
}

const LOADER_SCRIPTS: readonly string[] = ['widget.js', 'widget-chat.js', 'widget-tip.js'];

/** Dashboard pages and assets, the widget loader and the widget app's assets. */
export async function staticRoutes(app: FastifyInstance, options: { assets: BuiltAssets }): Promise<void> {
  const { dashboard, widget } = options.assets;
  const dashboardCsp = contentSecurityPolicy(app.config, 'dashboard');
  const publicAccess = { access: { kind: 'public' } } as const;
  // Built files, sent as they are (never serialised); the schema names the 200 they answer.
  const fileResponse = { response: { 200: { content: { '*/*': { schema: Type.String() } } } } };
  if (dashboard.size === 0 || widget.size === 0) {
    app.log.warn('Built web assets are missing: run `npm run build` to build the dashboard and the widget.');
  }

  const sendIndex = (request: FastifyRequest, reply: FastifyReply) => {
    const index = dashboard.get('index.html');
    if (!index)
      throw new AppError('service_unavailable', {
        message: 'The dashboard is not built. Run `npm run build`.',
      });
    reply
      .header('content-security-policy', dashboardCsp)
      .header('x-frame-options', 'DENY')
      .header('permissions-policy', DASHBOARD_PERMISSIONS_POLICY);
    return sendStatic(request, reply, index, 'no-store');
  };
  // Client-side routes of the dashboard; each serves the same document.
  for (const path of [
    '/',
    '/login',
    '/setup',
    '/inbox',
    '/inbox/:conversationId',
    '/widgets',
    '/widgets/:widgetId',
    '/invite',
    '/forgot-password',
    '/reset-password',
    '/unsubscribe',
    '/team',
    '/account',
    '/audit',
    '/outbox',
    '/sign-in/verify',
    '/sign-in/enroll',
    '/account/security',
    '/settings/security',
    '/settings/sign-in',
    '/settings/service',
    '/settings/alerts',
    '/settings/directory',
    '/settings/channels',
    '/reports',
    '/knowledge',
    '/api-tokens',
    '/archives',
    '/leads',
    '/archives/:archiveId',
  ]) {
    app.get(path, { schema: fileResponse, config: publicAccess }, sendIndex);
  }

  app.get<{ Params: { '*': string } }>(
    '/assets/*',
    { schema: fileResponse, config: publicAccess },
    async (request, reply) => {
      const file = dashboard.get(`assets/${request.params['*']}`);
      if (!file) throw new AppError('not_found');
      return sendStatic(request, reply, file, 'public, max-age=31536000, immutable');
    },
  );

  // The loader, and the two scripts it adds when they are needed (the chat's frame, the proactive
  // message): fixed names (host pages and the loader name them), so cached briefly, not forever.
  for (const name of LOADER_SCRIPTS) {
    app.get(`/${name}`, { schema: fileResponse, config: publicAccess }, async (request, reply) => {
      const file = widget.get(name);
      if (!file) throw new AppError('not_found');
      // Host pages on other origins load these scripts.
      reply.header('cross-origin-resource-policy', 'cross-origin');
      return sendStatic(request, reply, file, 'public, max-age=300');
    });
  }

  app.get<{ Params: { '*': string } }>(
    '/widget-assets/*',
    { schema: fileResponse, config: publicAccess },
    async (request, reply) => {
      const name = request.params['*'];
      const file = LOADER_SCRIPTS.includes(name) ? undefined : widget.get(name);
      if (!file) throw new AppError('not_found');
      return sendStatic(request, reply, file, 'public, max-age=31536000, immutable');
    },
  );
}
