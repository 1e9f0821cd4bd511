import type { ApiToken, CertificateBindingBody } from '../../../protocol/api-tokens.js';
import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import { presentApiToken } from './api-token.presenter.js';
import { findApiTokenInWorkspace, setApiTokenBinding } from './api-token.repository.js';
import { bindingColumns } from './binding-columns.js';

/**
 * Binds a token to a client certificate (or a CA), or removes the binding (both null). From the
 * next request on, the token works only with that certificate. Audited with the fingerprint only.
 */
export async function bindApiTokenCertificate(options: {
  db: Db;
  workspaceId: string;
  tokenId: string;
  userId: string;
  body: CertificateBindingBody;
  ip: string | null;
  log?: SecurityLogger;
}): Promise<ApiToken> {
  const columns = bindingColumns(options.body);
  return options.db.transaction().execute(async (trx) => {
    const row = await findApiTokenInWorkspace(trx, options.workspaceId, options.tokenId);
    if (!row) throw new AppError('not_found');
    await setApiTokenBinding(trx, row.id, columns);
    await recordAuditEvent(
      trx,
      {
        workspaceId: options.workspaceId,
        actor: { type: 'user', id: options.userId },
        action: 'token.certificate.changed',
        target: { type: 'api_token', id: row.id },
        ip: options.ip,
        details: {
          certificateSha256: columns.client_cert_sha256,
          certificateCa: columns.client_ca_pem !== null,
        },
      },
      options.log,
    );
    return presentApiToken({ ...row, ...columns });
  });
}
