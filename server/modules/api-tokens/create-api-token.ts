import { randomUUID } from 'node:crypto';
import type { CreateApiTokenBody, CreatedApiToken } from '../../../protocol/api-tokens.js';
import { AppError } from '../../errors.js';
import { clock } from '../../platform/clock.js';
import { hashSecret } from '../../platform/crypto/tokens.js';
import type { ApiTokensTable, Db } from '../../platform/db/schema.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import { presentApiToken } from './api-token.presenter.js';
import { findApiTokenByPublicId, insertApiToken } from './api-token.repository.js';
import { bindingColumns } from './binding-columns.js';
import { formatApiToken, newPublicId } from './token-format.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Creates a scoped token for a site backend. The token is returned here and nowhere else: only its
 * SHA-256 is stored. The audit entry records ids and scopes, never the token.
 */
export async function createApiToken(options: {
  db: Db;
  workspaceId: string;
  userId: string;
  body: CreateApiTokenBody;
  ip: string | null;
  log?: SecurityLogger;
}): Promise<CreatedApiToken> {
  const { db, body } = options;
  const name = body.name.trim();
  if (!name) throw new AppError('invalid_request', { details: ['body/name: must not be blank'] });
  let publicId = newPublicId();
  // 36^8 public ids: a clash is rare enough that drawing again is the whole answer.
  while (await findApiTokenByPublicId(db, publicId)) publicId = newPublicId();
  const token = formatApiToken(publicId);
  const now = clock.now();
  const row: ApiTokensTable = {
    id: randomUUID(),
    workspace_id: options.workspaceId,
    public_id: publicId,
    token_hash: hashSecret(token),
    name,
    scopes: JSON.stringify([...body.scopes].sort()),
    created_by: options.userId,
    created_at: new Date(now).toISOString(),
    expires_at: body.expiresInDays ? new Date(now + body.expiresInDays * DAY_MS).toISOString() : null,
    last_used_at: null,
    revoked_at: null,
    ...bindingColumns(body.certificate),
  };
  await db.transaction().execute(async (trx) => {
    await insertApiToken(trx, row);
    await recordAuditEvent(
      trx,
      {
        workspaceId: options.workspaceId,
        actor: { type: 'user', id: options.userId },
        action: 'token.created',
        target: { type: 'api_token', id: row.id },
        ip: options.ip,
        details: {
          publicId,
          scopes: row.scopes,
          expiresAt: row.expires_at,
          certificateSha256: row.client_cert_sha256,
          certificateCa: row.client_ca_pem !== null,
        },
      },
      options.log,
    );
  });
  return { apiToken: presentApiToken(row), token };
}
