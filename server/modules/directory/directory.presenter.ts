import type { Role } from '../../../protocol/common.js';
import type { Directory } from '../../../protocol/directory.js';
import type { DirectoriesTable, DirectoryRoleMappingsTable } from '../../platform/db/schema-directory.js';

/** The settings as the screen shows them: never the search password, not even sealed. */
export function presentDirectory(row: DirectoriesTable, mappings: DirectoryRoleMappingsTable[]): Directory {
  return {
    id: row.id,
    emailDomain: row.email_domain,
    url: row.url,
    startTls: row.start_tls === 1,
    caPem: row.ca_pem,
    bindDn: row.bind_dn,
    baseDn: row.base_dn,
    userAttribute: row.user_attribute as Directory['userAttribute'],
    groupMode: row.group_mode as Directory['groupMode'],
    groupBaseDn: row.group_base_dn,
    enabled: row.enabled === 1,
    mappings: mappings.map((m) => ({ groupDn: m.group_dn, role: m.role as Role })),
    updatedAt: row.updated_at,
  };
}
