import type { Db } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';
import { findVisitorIdsByEmailIndex } from './visitor-profile.repository.js';

/** Exact lookup by email through the blind index: the database never sees the email itself. */
export async function findVisitorsByEmail(options: {
  db: Db;
  vault: Vault;
  workspaceId: string;
  email: string;
}): Promise<string[]> {
  const index = await options.vault.emailIndex(options.db, options.workspaceId, options.email);
  const rows = await findVisitorIdsByEmailIndex(options.db, options.workspaceId, index);
  return rows.map((r) => r.visitor_id);
}
