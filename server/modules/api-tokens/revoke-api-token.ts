import type { ApiToken } from '../../../protocol/api-tokens.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import { presentApiToken } from './api-token.presenter.js';
import { findApiTokenInWorkspace, revokeApiTokenRow } from './api-token.repository.js';

/**
 * Revokes a token: its next request is refused. Revoking a revoked token changes nothing and is not
 * recorded twice. Another workspace's token answers like one that does not exist.
 */
export async function revokeApiToken(options: {
  db: Db;
  workspaceId: string;
  tokenId: string;
  userId: string;
  ip: string | null;
  log?: SecurityLogger;
}): Promise<ApiToken> {
  const { db, workspaceId, tokenId } = options;
  return db.transaction().execute(async (trx) => {
    const row = await findApiTokenInWorkspace(trx, workspaceId, tokenId);
    if (!row) throw new AppError('not_found');
    const at = nowIso();
    if (await revokeApiTokenRow(trx, row.id, at)) {
      await recordAuditEvent(
        trx,
        {
          workspaceId,
          actor: { type: 'user', id: options.userId },
          action: 'token.revoked',
          target: { type: 'api_token', id: row.id },
          ip: options.ip,
          details: { publicId: row.public_id, scopes: row.scopes },
        },
        options.log,
      );
      return presentApiToken({ ...row, revoked_at: at });
    }
    return presentApiToken(row);
  });
}
