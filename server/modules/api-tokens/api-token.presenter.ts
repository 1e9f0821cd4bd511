import { API_TOKEN_SCOPES, type ApiToken, type ApiTokenScope } from '../../../protocol/api-tokens.js';
import type { ApiTokensTable } from '../../platform/db/schema.js';
import { tokenPrefix } from './token-format.js';

export function scopesOf(row: Pick<ApiTokensTable, 'scopes'>): ApiTokenScope[] {
  const parsed: unknown = JSON.parse(row.scopes);
  const known = new Set<string>(API_TOKEN_SCOPES);
  return Array.isArray(parsed) ? parsed.filter((s): s is ApiTokenScope => known.has(s)) : [];
}

/** Never includes the hash, let alone the token. */
export function presentApiToken(row: ApiTokensTable): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: tokenPrefix(row.public_id),
    scopes: scopesOf(row),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
