/** Company sign-in through LDAP / Active Directory (migration 2026-12-05-0701-directory-sign-in). */
export interface DirectoriesTable {
  id: string;
  workspace_id: string;
  /** Lower-case; the sign-in form's emails at this domain go to this directory. */
  email_domain: string;
  /** ldaps://host:port or ldap://host:port. */
  url: string;
  /** 1: StartTLS on an ldap:// URL before anything else is sent. */
  start_tls: number;
  /** PEM of the CA that signed the directory's certificate; null: the system's trusted CAs. */
  ca_pem: string | null;
  bind_dn: string;
  /** The search account's password, sealed under the master key ring (aad `directory:<id>`). */
  bind_password: string;
  base_dn: string;
  /** 'uid' | 'sAMAccountName' | 'mail'. */
  user_attribute: string;
  /** 'memberOf': the user's memberOf attribute; 'search': groups under group_base_dn naming the user. */
  group_mode: string;
  group_base_dn: string | null;
  enabled: number;
  created_at: string;
  updated_at: string;
}

export interface DirectoryRoleMappingsTable {
  id: string;
  directory_id: string;
  /** Lower-case DN. */
  group_dn: string;
  role: string;
}

export interface DirectoryAccountsTable {
  user_id: string;
  directory_id: string;
  workspace_id: string;
  dn: string;
  checked_at: string;
}

export interface DirectoryTables {
  directories: DirectoriesTable;
  directory_role_mappings: DirectoryRoleMappingsTable;
  directory_accounts: DirectoryAccountsTable;
}
