import type { X509Certificate } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { Executor } from '../../platform/db/schema.js';
import type { Access } from '../../platform/http/access.js';
import { authenticateApiToken } from './authenticate-api-token.js';
import type { ApiTokenPrincipal } from './principal.js';

/**
 * Decides whether an API token may call a route. Only `member` routes that name a `tokenScope`
 * accept tokens; every other route refuses one outright, whatever else the request carries. Then:
 * the token must be live (401), belong to the `:workspaceId` in the path (else 404, exactly like a
 * workspace that does not exist) and hold the route's scope (403).
 */
export async function admitApiToken(options: {
  db: Executor;
  access: Access;
  params: unknown;
  token: string;
  clientCert?: X509Certificate | null;
  ip?: string | null;
}): Promise<ApiTokenPrincipal> {
  const { access } = options;
  if (access.kind !== 'member' || !access.tokenScope) throw new AppError('token_not_accepted');
  const principal = await authenticateApiToken({
    db: options.db,
    token: options.token,
    clientCert: options.clientCert ?? null,
    ip: options.ip ?? null,
  });
  const { workspaceId } = (options.params ?? {}) as { workspaceId?: string };
  if (workspaceId !== principal.workspaceId) throw new AppError('not_found');
  if (!principal.scopes.includes(access.tokenScope)) {
    throw new AppError('forbidden', {
      message: `This API token does not have the scope ${access.tokenScope}.`,
      details: [`required scope: ${access.tokenScope}`],
    });
  }
  return principal;
}
