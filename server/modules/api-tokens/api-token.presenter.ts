import { createHash, X509Certificate } from 'node:crypto';
import {
  API_TOKEN_SCOPES,
  type ApiToken,
  type ApiTokenScope,
  type CertificateBinding,
} from '../../../protocol/api-tokens.js';
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
    certificate: presentBinding(row),
  };
}

function presentBinding(row: ApiTokensTable): CertificateBinding | null {
  if (row.client_cert_sha256 === null && row.client_ca_pem === null) return null;
  let caSubject: string | null = null;
  let caSha256: string | null = null;
  if (row.client_ca_pem !== null) {
    try {
      const ca = new X509Certificate(row.client_ca_pem);
      caSubject = ca.subject.replace(/\n/g, ', ');
      caSha256 = createHash('sha256').update(ca.raw).digest('hex');
    } catch {
      caSubject = '(unreadable certificate)';
    }
  }
  return { sha256: row.client_cert_sha256, caSubject, caSha256 };
}
