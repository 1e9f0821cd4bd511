import type { ApiTokenScope, CertificateBindingBody, CreatedApiToken } from '../../protocol/api-tokens.js';
import { type HttpResult, http, type TestAgent } from './clients.js';
import type { TestServer } from './test-server.js';

/** An administrator creates a token through the API, as the dashboard does. */
export async function createToken(
  server: TestServer,
  admin: TestAgent,
  scopes: readonly ApiTokenScope[],
  options: { name?: string; expiresInDays?: number; certificate?: CertificateBindingBody } = {},
): Promise<CreatedApiToken> {
  const res = await http<CreatedApiToken>(
    server,
    'POST',
    `/api/v1/workspaces/${admin.workspaceId}/api-tokens`,
    {
      cookie: admin.cookie,
      body: { name: options.name ?? 'Site backend', scopes, ...options },
    },
  );
  if (res.status !== 201) throw new Error(`token failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A call from a site's backend: the token, JSON, and nothing a browser would add (no Origin, no cookie). */
export function tokenCall<T = any>(
  server: TestServer,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<HttpResult<T>> {
  return http<T>(server, method, path, {
    origin: null,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    ...(body !== undefined ? { body } : {}),
  });
}
