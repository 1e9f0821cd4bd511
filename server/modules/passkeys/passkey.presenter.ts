import type { Passkey } from '../../../protocol/mfa.js';
import type { PasskeysTable } from '../../platform/db/schema-mfa.js';

/** A passkey as its owner sees it: a name and dates, never the credential or its public key. */
export function presentPasskey(row: PasskeysTable): Passkey {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    synced: row.device_type === 'multiDevice',
  };
}
