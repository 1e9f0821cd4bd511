import { AppError } from '../../errors.js';
import { clock } from '../../platform/clock.js';
import type { VisitorCredentialsTable } from '../../platform/db/schema.js';

/** A credential is live if not revoked and within both its idle and absolute lifetimes. */
export function assertCredentialLive(
  row: VisitorCredentialsTable | undefined,
  now = clock.now(),
): VisitorCredentialsTable {
  if (!row || row.revoked_at || now >= Date.parse(row.idle_expires_at) || now >= Date.parse(row.expires_at)) {
    throw new AppError('credential_invalid');
  }
  return row;
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header ?? '');
  return match?.[1];
}
