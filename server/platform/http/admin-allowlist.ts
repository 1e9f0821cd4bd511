import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import type { Access } from './access.js';

/**
 * A permission that administers the workspace rather than doing its daily work: everything that
 * manages (`*.manage`) and reading the audit log. Routes requiring one are administration routes.
 */
export function isAdministrationPermission(permission: string): boolean {
  return permission.endsWith('.manage') || permission === 'audit.read';
}

export function isAdministrationRoute(access: Access | undefined): boolean {
  return access?.kind === 'member' && isAdministrationPermission(access.permission);
}

/**
 * Dashboard screens whose purpose is administration. The API behind them is what really enforces the
 * allow-list; refusing the screens too means a refused address does not even get the forms.
 * A new administration screen adds its path here.
 */
export const ADMIN_PAGES: readonly RegExp[] = [
  /^\/widgets\/new\/?$/,
  /^\/(users|team|outbox|settings|security|audit|tokens|api-tokens)(\/|$)/,
];

/**
 * With PARLEY_ADMIN_ALLOWED_IPS set, administration routes and screens answer only to those
 * addresses (the client address honours PARLEY_TRUSTED_PROXIES). Checked before authentication, so
 * a refused address learns nothing about sessions or workspaces.
 */
export function registerAdminAllowList(app: FastifyInstance, config: Pick<Config, 'adminAllowedIps'>) {
  const allowed = config.adminAllowedIps;
  if (!allowed) return;
  app.addHook('onRequest', async (request) => {
    if (!isAdministrationRequest(request)) return;
    if (!allowed.has(request.ip)) throw new AppError('address_not_allowed');
  });
}

function isAdministrationRequest(request: FastifyRequest): boolean {
  if (isAdministrationRoute(request.routeOptions.config?.access)) return true;
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '';
  return ADMIN_PAGES.some((page) => page.test(path));
}
