import type { Role } from '../../../protocol/common.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import { openWithRing, sealWithRing } from '../../platform/crypto/ring-seal.js';
import type { Executor } from '../../platform/db/schema.js';
import type { DirectoriesTable } from '../../platform/db/schema-directory.js';
import { listMappings } from './directory.repository.js';
import type { DirectorySettings } from './directory-user.js';
import type { DirectoryEndpoint } from './ldap-connection.js';

/** The search account's password is sealed with the directory's row as associated data. */
const aad = (directoryId: string) => `directory:${directoryId}`;

export function sealBindPassword(ring: KeyRing, directoryId: string, password: string): string {
  return sealWithRing(ring, aad(directoryId), password);
}

export function openBindPassword(ring: KeyRing, row: Pick<DirectoriesTable, 'id' | 'bind_password'>): string {
  return openWithRing(ring, aad(row.id), row.bind_password);
}

/** Everything a lookup needs, read from a row: where, as whom, and how groups map to roles. */
export async function loadDirectory(
  db: Executor,
  ring: KeyRing,
  row: DirectoriesTable,
  timeoutMs: number,
): Promise<{
  endpoint: DirectoryEndpoint;
  bindDn: string;
  bindPassword: string;
  settings: DirectorySettings;
}> {
  const mappings = new Map<string, Role>();
  for (const m of await listMappings(db, row.id)) mappings.set(m.group_dn, m.role as Role);
  return {
    endpoint: { url: row.url, startTls: row.start_tls === 1, caPem: row.ca_pem, timeoutMs },
    bindDn: row.bind_dn,
    bindPassword: openBindPassword(ring, row),
    settings: {
      baseDn: row.base_dn,
      userAttribute: row.user_attribute,
      groupMode: row.group_mode === 'memberOf' ? 'memberOf' : 'search',
      groupBaseDn: row.group_base_dn,
      mappings,
    },
  };
}

/** The part of an email after the last @, lower-cased: which directory (if any) answers for it. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}
