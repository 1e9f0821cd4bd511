import { createHash } from 'node:crypto';
import type { AuditEventsTable } from '../../platform/db/schema.js';

/** The first entry of every chain links to this. */
export const GENESIS_HASH = '0'.repeat(64);

type Hashed = Omit<AuditEventsTable, 'id' | 'hash'>;

/**
 * SHA-256 over the entry's fields in a fixed order plus the previous entry's hash, so editing,
 * reordering or removing any entry breaks every hash after it.
 */
export function auditHash(entry: Hashed): string {
  const canonical = JSON.stringify([
    entry.workspace_id,
    entry.seq,
    entry.occurred_at,
    entry.actor_type,
    entry.actor_id,
    entry.action,
    entry.target_type,
    entry.target_id,
    entry.ip,
    entry.details,
    entry.prev_hash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
