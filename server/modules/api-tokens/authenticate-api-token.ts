import { timingSafeEqual, type X509Certificate } from 'node:crypto';
import { AppError } from '../../errors.js';
import { clock } from '../../platform/clock.js';
import { hashSecret } from '../../platform/crypto/tokens.js';
import type { Executor } from '../../platform/db/schema.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { scopesOf } from './api-token.presenter.js';
import { findApiTokenByPublicId, touchApiTokenRow } from './api-token.repository.js';
import { satisfiesBinding } from './certificate-binding.js';
import type { ApiTokenPrincipal } from './principal.js';
import { publicIdOf } from './token-format.js';

/** Last-used is written at most this often per token, so a busy backend does not write on every call. */
export const LAST_USED_EVERY_MS = 60_000;

/**
 * Resolves an API token to its principal. Unknown, wrong, revoked and expired tokens all answer
 * `token_invalid`, so the answer does not tell which.
 */
export async function authenticateApiToken(options: {
  db: Executor;
  token: string;
  /** The client certificate the request came with (platform/http/client-certificate.ts), if any. */
  clientCert?: X509Certificate | null;
  ip?: string | null;
}): Promise<ApiTokenPrincipal> {
  const publicId = publicIdOf(options.token);
  const row = publicId ? await findApiTokenByPublicId(options.db, publicId) : undefined;
  if (!row || !sameHash(row.token_hash, hashSecret(options.token))) throw new AppError('token_invalid');
  const now = clock.now();
  if (row.revoked_at || (row.expires_at !== null && now >= Date.parse(row.expires_at))) {
    throw new AppError('token_invalid');
  }
  // A token bound to a client certificate is only half a credential: a copy of it alone is refused.
  if (!satisfiesBinding(row, options.clientCert ?? null, now)) {
    await recordAuditEvent(options.db, {
      workspaceId: row.workspace_id,
      actor: { type: 'api_token', id: row.id },
      action: 'token.certificate_refused',
      target: { type: 'api_token', id: row.id },
      ip: options.ip ?? null,
      details: { presented: options.clientCert ? 'other' : 'none' },
    });
    throw new AppError('client_certificate_required');
  }
  if (row.last_used_at === null || now - Date.parse(row.last_used_at) >= LAST_USED_EVERY_MS) {
    await touchApiTokenRow(
      options.db,
      row.id,
      new Date(now).toISOString(),
      new Date(now - LAST_USED_EVERY_MS).toISOString(),
    );
  }
  return { tokenId: row.id, workspaceId: row.workspace_id, name: row.name, scopes: scopesOf(row) };
}

function sameHash(stored: string, presented: string): boolean {
  const a = Buffer.from(stored);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
